using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using WgIsolate.Operator.Runtime;
using static WgIsolate.Operator.Tests.Runtime.TestObjects;

namespace WgIsolate.Operator.Tests.Runtime;

public sealed class ControllerTests : IAsyncDisposable
{
    private static readonly ResourceKey A = new("ns", "a");

    private readonly RecordingTimeProvider _time = new();
    private readonly RecordingMetrics _metrics = new();
    private readonly ScriptedReconciler _reconciler = new();
    private readonly FakeInformer _informer = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly WorkQueue _queue;
    private readonly Controller _controller;
    private Task? _run;

    public ControllerTests()
    {
        _queue = new WorkQueue(_time, new BackoffRateLimiter(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        _controller = new Controller(_reconciler, _queue, [_informer], new ControllerOptions { Workers = 3, MaxFailures = 4 },
            _time, _metrics, NullLogger.Instance);
    }

    private void Start()
    {
        _informer.MarkSynced();
        _run = _controller.RunAsync(_stop.Token);
    }

    [Fact]
    public async Task Run_BeforeEveryInformerListed_ReconcilesNothing()
    {
        _run = _controller.RunAsync(_stop.Token);
        _queue.Add(A);
        await Task.Delay(100);
        Assert.Equal(0, _reconciler.Calls(A));

        _informer.MarkSynced();

        await Eventually.True(() => _reconciler.Calls(A) == 1, "reconcile after sync");
    }

    [Fact]
    public async Task Reconcile_Success_ForgetsTheKeysBackoff()
    {
        _queue.RateLimiter.When(A);
        Start();

        _queue.Add(A);

        await Eventually.True(() => _metrics.Count(ReconcileOutcome.Success) == 1, "one success");
        Assert.Equal(0, _queue.RateLimiter.Failures(A));
    }

    [Fact]
    public async Task Reconcile_Throwing_IsRetriedWithGrowingBackoffUntilItSucceeds()
    {
        _reconciler.Script = call => call < 3 ? throw new InvalidOperationException("API unavailable") : ReconcileResult.Done;
        Start();

        _queue.Add(A);
        await Eventually.True(() => _reconciler.Calls(A) == 1, "first attempt");
        await _time.WaitForTimersAsync(TimeSpan.FromSeconds(1), 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => _reconciler.Calls(A) == 2, "second attempt after 1 s");
        await _time.WaitForTimersAsync(TimeSpan.FromSeconds(2), 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _reconciler.Calls(A));
        _time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.True(() => _metrics.Count(ReconcileOutcome.Success) == 1, "success on the third attempt");
        Assert.Equal(3, _reconciler.Calls(A));
        Assert.Equal(2, _metrics.Count(ReconcileOutcome.Error));
        Assert.Equal(0, _queue.RateLimiter.Failures(A));
    }

    [Fact]
    public async Task Reconcile_RequeueAfter_ComesBackAfterExactlyThatDelay()
    {
        _reconciler.Script = call => call == 1 ? ReconcileResult.After(TimeSpan.FromSeconds(30)) : ReconcileResult.Done;
        Start();

        _queue.Add(A);
        await _time.WaitForTimersAsync(TimeSpan.FromSeconds(30), 1);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, _reconciler.Calls(A));
        _time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.True(() => _reconciler.Calls(A) == 2, "second reconcile");
        Assert.Equal(1, _metrics.Count(ReconcileOutcome.RequeueAfter));
    }

    [Fact]
    public async Task Reconcile_TerminalError_IsNotRetried()
    {
        _reconciler.Script = _ => throw new TerminalReconcileException("spec can never work");
        Start();

        _queue.Add(A);
        await Eventually.True(() => _metrics.Count(ReconcileOutcome.TerminalError) == 1, "terminal error recorded");
        _time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(50);

        Assert.Equal(1, _reconciler.Calls(A));
        Assert.Equal(0, _queue.RateLimiter.Failures(A));
    }

    [Fact]
    public async Task Reconcile_FailingEveryTime_GivesUpAfterMaxFailuresUntilTheNextEvent()
    {
        _reconciler.Script = _ => throw new InvalidOperationException("always");
        Start();

        _queue.Add(A);
        while (_metrics.Count(ReconcileOutcome.GaveUp) == 0)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        _time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(50);
        Assert.Equal(4, _reconciler.Calls(A));
        Assert.Equal(3, _metrics.Count(ReconcileOutcome.Error));

        _queue.Add(A);
        await Eventually.True(() => _reconciler.Calls(A) == 5, "a new event starts over");
    }

    [Fact]
    public async Task Run_ManyKeys_NeverReconcilesOneKeyTwiceAtOnceAndUsesAtMostTheWorkerCount()
    {
        _reconciler.Script = _ => ReconcileResult.Done;
        _reconciler.Delay = TimeSpan.FromMilliseconds(2);
        Start();

        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 10; i++) _queue.Add(new ResourceKey("ns", $"k{i}"));
            await Task.Delay(1);
        }

        await Eventually.True(() => _queue.Depth == 0 && _reconciler.Running == 0, "queue drained");
        Assert.Equal(0, _reconciler.SameKeyOverlaps);
        Assert.InRange(_reconciler.MaxRunning, 1, 3);
        Assert.All(Enumerable.Range(0, 10), i => Assert.InRange(_reconciler.Calls(new ResourceKey("ns", $"k{i}")), 1, 20));
    }

    [Fact]
    public async Task EventStorm_ThousandPodUpdatesForOneApp_CollapseIntoTwoReconciles()
    {
        var source = new FakeResourceSource<V1ConfigMap>
        {
            Listing = new([.. Enumerable.Range(0, 10).Select(i => ConfigMap($"pod-{i}", "1"))], "1"),
        };
        var pods = new ResourceInformer<V1ConfigMap>(source, new InformerOptions(), _time, NullLogger.Instance);
        var app = new ResourceKey("ns", "app");
        pods.AddHandler((_, _) => _queue.Add(app));
        using var gate = new SemaphoreSlim(0);
        _reconciler.Script = _ => ReconcileResult.Done;
        _reconciler.Gate = gate;
        var controller = new Controller(_reconciler, _queue, [pods], new ControllerOptions { Workers = 4 }, _time, _metrics, NullLogger.Instance);
        var informing = pods.RunAsync(_stop.Token);
        _run = Task.WhenAll(informing, controller.RunAsync(_stop.Token));

        var watch = await source.NextWatchAsync();
        await Eventually.True(() => _reconciler.Running == 1, "first reconcile running");
        for (var i = 0; i < 1000; i++) watch.Send(WatchEventType.Modified, ConfigMap($"pod-{i % 10}", $"{i + 2}"));
        await Eventually.True(() => pods.LastResourceVersion == "1001", "all 1,000 updates seen");
        gate.Release(1000);

        await Eventually.True(() => _queue.Depth == 0 && _reconciler.Running == 0 && _reconciler.Calls(app) == 2, "storm absorbed");
        await Task.Delay(50);
        Assert.Equal(2, _reconciler.Calls(app));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
                // A controller stopped before its informers synced ends with cancellation; that is the contract.
            }
        }

        _queue.Dispose();
        _stop.Dispose();
    }

    private sealed class FakeInformer : IInformer
    {
        private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Resource => "fakes";
        public bool HasSynced => _synced.Task.IsCompleted;
        public Task Synced => _synced.Task;

        public void MarkSynced() => _synced.TrySetResult();

        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

internal sealed class ScriptedReconciler : IReconciler
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ResourceKey, int> _calls = [];
    private readonly HashSet<ResourceKey> _active = [];

    public Func<int, ReconcileResult> Script { get; set; } = _ => ReconcileResult.Done;
    public TimeSpan Delay { get; set; }
    public SemaphoreSlim? Gate { get; set; }
    public int Running { get; private set; }
    public int MaxRunning { get; private set; }
    public int SameKeyOverlaps { get; private set; }

    public string Name => "scripted";

    public int Calls(ResourceKey key)
    {
        lock (_lock) return _calls.GetValueOrDefault(key);
    }

    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        int call;
        lock (_lock)
        {
            call = _calls[key] = _calls.GetValueOrDefault(key) + 1;
            if (!_active.Add(key)) SameKeyOverlaps++;
            MaxRunning = Math.Max(MaxRunning, ++Running);
        }

        try
        {
            if (Gate is not null) await Gate.WaitAsync(cancellationToken);
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
            return Script(call);
        }
        finally
        {
            lock (_lock)
            {
                _active.Remove(key);
                Running--;
            }
        }
    }
}

internal sealed class RecordingMetrics : IControllerMetrics
{
    private readonly List<ReconcileOutcome> _outcomes = [];

    public int Count(ReconcileOutcome outcome)
    {
        lock (_outcomes) return _outcomes.Count(o => o == outcome);
    }

    public void Reconciled(string controller, ReconcileOutcome outcome, TimeSpan duration)
    {
        lock (_outcomes) _outcomes.Add(outcome);
    }
}
