using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Tests.Runtime;

public sealed class WorkQueueTests : IDisposable
{
    private static readonly ResourceKey A = new("ns", "a");
    private static readonly ResourceKey B = new("ns", "b");
    private static readonly ResourceKey C = new(null, "c");

    private readonly RecordingTimeProvider _time = new();
    private readonly WorkQueue _queue;

    public WorkQueueTests() => _queue = new WorkQueue(_time, new BackoffRateLimiter(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));

    private async Task<ResourceKey?> GetSoon()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _queue.GetAsync(timeout.Token);
    }

    [Fact]
    public async Task Get_HandsOutKeysInTheOrderTheyWereFirstAdded()
    {
        _queue.Add(B);
        _queue.Add(A);
        _queue.Add(B);
        _queue.Add(C);

        Assert.Equal(3, _queue.Depth);
        Assert.Equal(B, await GetSoon());
        Assert.Equal(A, await GetSoon());
        Assert.Equal(C, await GetSoon());
        Assert.Equal(0, _queue.Depth);
    }

    [Fact]
    public async Task Add_WhileTheKeyIsProcessed_IsHeldBackUntilDoneThenQueuedOnce()
    {
        _queue.Add(A);
        Assert.Equal(A, await GetSoon());

        _queue.Add(A);
        _queue.Add(A);
        Assert.Equal(0, _queue.Depth);
        var second = _queue.GetAsync(CancellationToken.None);
        await Task.Delay(20);
        Assert.False(second.IsCompleted);

        _queue.Done(A);

        Assert.Equal(A, await second.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, _queue.Depth);
    }

    [Fact]
    public async Task Done_WithoutNewAdd_DoesNotRequeue()
    {
        _queue.Add(A);
        await GetSoon();
        _queue.Done(A);

        Assert.Equal(0, _queue.Depth);
    }

    [Fact]
    public async Task AddAfter_KeepsOnlyTheEarliestDeadlinePerKey()
    {
        _queue.AddAfter(A, TimeSpan.FromSeconds(10));
        _queue.AddAfter(A, TimeSpan.FromSeconds(2));
        _queue.AddAfter(A, TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(A, await GetSoon());
        _queue.Done(A);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _queue.Depth);
    }

    [Fact]
    public async Task AddRateLimited_WaitsLongerAfterEachFailureUpToTheCap()
    {
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            var before = _time.GetUtcNow();
            _queue.AddRateLimited(A);
            while (_queue.Depth == 0) _time.Advance(TimeSpan.FromMilliseconds(50));
            waits.Add(_time.GetUtcNow() - before);
            await GetSoon();
            _queue.Done(A);
        }

        Assert.Equal([100, 200, 400, 800, 1000, 1000], waits.Select(w => (int)w.TotalMilliseconds));
        Assert.Equal(6, _queue.RateLimiter.Failures(A));
    }

    [Fact]
    public void Forget_ResetsTheBackoffOfThatKeyOnly()
    {
        var limiter = new BackoffRateLimiter(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        limiter.When(A);
        limiter.When(A);
        limiter.When(B);

        limiter.Forget(A);

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When(A));
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.When(B));
    }

    [Fact]
    public async Task ShutDown_WakesWaitingWorkersWithNoKey()
    {
        var waiting = _queue.GetAsync(CancellationToken.None);

        _queue.ShutDown();

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        _queue.Add(A);
        Assert.Equal(0, _queue.Depth);
    }

    public void Dispose() => _queue.Dispose();
}
