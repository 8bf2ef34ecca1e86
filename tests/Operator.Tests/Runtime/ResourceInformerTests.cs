using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using WgIsolate.Operator.Runtime;
using static WgIsolate.Operator.Tests.Runtime.TestObjects;

namespace WgIsolate.Operator.Tests.Runtime;

public sealed class ResourceInformerTests : IAsyncDisposable
{
    private static readonly InformerOptions Options = new()
    {
        MinWatchTimeout = TimeSpan.FromSeconds(300),
        MaxWatchTimeout = TimeSpan.FromSeconds(300),
        WatchdogGrace = TimeSpan.FromSeconds(30),
        ResyncPeriod = TimeSpan.FromMinutes(10),
        InitialRetryDelay = TimeSpan.FromSeconds(1),
        MaxRetryDelay = TimeSpan.FromSeconds(8),
    };

    private readonly RecordingTimeProvider _time = new();
    private readonly FakeResourceSource<V1ConfigMap> _source = new();
    private readonly ResourceInformer<V1ConfigMap> _informer;
    private readonly List<string> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public ResourceInformerTests()
    {
        _informer = new ResourceInformer<V1ConfigMap>(_source, Options, _time, NullLogger.Instance);
        _informer.Cache.AddIndex("node", c => c.Metadata.Labels?.TryGetValue("node", out var n) == true ? [n] : []);
        _informer.AddHandler((o, n) =>
        {
            var text = (o, n) switch
            {
                (null, { } added) => $"add {added.Metadata.Name}@{added.Metadata.ResourceVersion}",
                ({ } deleted, null) => $"delete {deleted.Metadata.Name}",
                ({ } a, { } b) when ReferenceEquals(a, b) => $"resync {b.Metadata.Name}",
                ({ } _, { } b) => $"update {b.Metadata.Name}@{b.Metadata.ResourceVersion}",
                _ => "impossible",
            };
            lock (_events) _events.Add(text);
        });
    }

    private string[] Events()
    {
        lock (_events) return [.. _events];
    }

    private void Start() => _run = _informer.RunAsync(_stop.Token);

    [Fact]
    public async Task Run_ListsThenWatchesFromTheListsResourceVersion()
    {
        _source.Listing = new([ConfigMap("a", "5"), ConfigMap("b", "6")], "7");
        Start();

        await _source.NextWatchAsync();

        Assert.True(_informer.HasSynced);
        Assert.Equal(("7", TimeSpan.FromSeconds(300)), Assert.Single(_source.Watches));
        Assert.Equal(["add a@5", "add b@6"], Events().Order());
        Assert.Equal(2, _informer.Cache.Count);
    }

    [Fact]
    public async Task Watch_AddUpdateDelete_ReachCacheIndexAndHandlers()
    {
        _source.Listing = new([ConfigMap("a", "5", node: "n1")], "5");
        Start();
        var watch = await _source.NextWatchAsync();

        watch.Send(WatchEventType.Added, ConfigMap("b", "6", node: "n1"));
        watch.Send(WatchEventType.Modified, ConfigMap("a", "7", node: "n2"));
        watch.Send(WatchEventType.Deleted, ConfigMap("b", "8", node: "n1"));
        await Eventually.True(() => Events().Length == 4, "four events");

        Assert.Equal(["add a@5", "add b@6", "update a@7", "delete b"], Events());
        Assert.Empty(_informer.Cache.ByIndex("node", "n1"));
        Assert.Equal("a", Assert.Single(_informer.Cache.ByIndex("node", "n2")).Metadata.Name);
        Assert.Equal("8", _informer.LastResourceVersion);
    }

    [Fact]
    public async Task Watch_ModifiedWithUnchangedResourceVersion_IsNotHandedOutAgain()
    {
        _source.Listing = new([ConfigMap("a", "5")], "5");
        Start();
        var watch = await _source.NextWatchAsync();

        watch.Send(WatchEventType.Modified, ConfigMap("a", "5"));
        watch.Send(WatchEventType.Added, ConfigMap("z", "9"));
        await Eventually.True(() => Events().Length == 2, "the second add");

        Assert.Equal(["add a@5", "add z@9"], Events());
    }

    [Fact]
    public async Task Watch_ServerClosesStream_ResumesFromLastSeenResourceVersionWithoutListing()
    {
        _source.Listing = new([], "3");
        Start();
        var watch = await _source.NextWatchAsync();
        watch.Send(WatchEventType.Added, ConfigMap("a", "10"));
        watch.Send(WatchEventType.Bookmark, Bookmark("12"));
        watch.End();

        await _source.NextWatchAsync();

        Assert.Equal(["3", "12"], _source.Watches.Select(w => w.ResourceVersion));
        Assert.Equal(1, _source.Lists);
    }

    [Fact]
    public async Task Watch_Gone_ListsAgainAndReportsWhatChangedMeanwhile()
    {
        _source.Listing = new([ConfigMap("a", "5"), ConfigMap("b", "6")], "6");
        Start();
        var watch = await _source.NextWatchAsync();

        _source.Listing = new([ConfigMap("b", "6"), ConfigMap("c", "20")], "21");
        watch.Fail(new ResourceExpiredException("too old resource version"));
        var second = await _source.NextWatchAsync();

        Assert.Equal(2, _source.Lists);
        Assert.Equal("21", _source.Watches[1].ResourceVersion);
        Assert.Equal(["add a@5", "add b@6", "add c@20", "delete a"], Events());
        Assert.Null(_informer.Cache.Get(new ResourceKey("default", "a")));
        second.End();
    }

    [Fact]
    public async Task Watch_ErrorEvent_ListsAgain()
    {
        _source.Listing = new([ConfigMap("a", "5")], "5");
        Start();
        var watch = await _source.NextWatchAsync();

        watch.Fail(new WatchErrorEventException("internal error"));
        await _source.NextWatchAsync();

        Assert.Equal(2, _source.Lists);
    }

    [Fact]
    public async Task Watch_EndingAtOnceWithNothing_BacksOffInsteadOfSpinning()
    {
        _source.Listing = new([], "5");
        Start();
        (await _source.NextWatchAsync()).End();
        await _time.WaitForTimersAsync(Options.InitialRetryDelay, 1);
        Assert.Single(_source.Watches);

        _time.Advance(Options.InitialRetryDelay);
        (await _source.NextWatchAsync()).End();
        await _time.WaitForTimersAsync(Options.InitialRetryDelay * 2, 1);

        Assert.Equal(2, _source.Watches.Count);
        Assert.Equal(1, _source.Lists);
    }

    [Fact]
    public async Task Watch_OtherError_BacksOffThenResumesFromLastResourceVersion()
    {
        _source.Listing = new([], "4");
        Start();
        var watch = await _source.NextWatchAsync();
        watch.Send(WatchEventType.Added, ConfigMap("a", "9"));
        watch.Fail(new IOException("connection reset"));
        await _time.WaitForTimersAsync(Options.InitialRetryDelay, 1);

        Assert.Single(_source.Watches);
        _time.Advance(Options.InitialRetryDelay);
        await _source.NextWatchAsync();

        Assert.Equal(["4", "9"], _source.Watches.Select(w => w.ResourceVersion));
        Assert.Equal(1, _source.Lists);
    }

    [Fact]
    public async Task List_Failing_RetriesWithBackoffAndDoesNotSyncUntilItSucceeds()
    {
        _source.FailNextList(new IOException("refused"));
        _source.FailNextList(new IOException("refused"));
        Start();
        await _time.WaitForTimersAsync(TimeSpan.FromSeconds(1), 1);
        Assert.Equal(1, _source.Lists);
        Assert.False(_informer.HasSynced);

        _time.Advance(TimeSpan.FromSeconds(1));
        await _time.WaitForTimersAsync(TimeSpan.FromSeconds(2), 1);
        Assert.Equal(2, _source.Lists);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _source.Lists);
        _time.Advance(TimeSpan.FromSeconds(1));

        await _source.NextWatchAsync();
        Assert.Equal(3, _source.Lists);
        Assert.True(_informer.HasSynced);
    }

    [Fact]
    public async Task Watchdog_SilentWatch_IsRestartedAfterTimeoutPlusGrace()
    {
        _source.Listing = new([], "8");
        Start();
        await _source.NextWatchAsync();

        _time.Advance(TimeSpan.FromSeconds(329));
        Assert.Single(_source.Watches);
        _time.Advance(TimeSpan.FromSeconds(1));

        await _source.NextWatchAsync();
        Assert.Equal(["8", "8"], _source.Watches.Select(w => w.ResourceVersion));
    }

    [Fact]
    public async Task Watchdog_EventsKeepTheWatchAlive()
    {
        _source.Listing = new([], "8");
        Start();
        var watch = await _source.NextWatchAsync();

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(200));
            watch.Send(WatchEventType.Bookmark, Bookmark($"{10 + i}"));
            await Eventually.True(() => _informer.LastResourceVersion == $"{10 + i}", "bookmark applied");
        }

        Assert.Single(_source.Watches);
    }

    [Fact]
    public async Task HandlerThrowing_StopsTheInformerWithTheObjectNamed()
    {
        _informer.AddHandler((_, n) =>
        {
            if (n?.Metadata.Name == "bad") throw new InvalidOperationException("bug");
        });
        _source.Listing = new([], "1");
        Start();
        var watch = await _source.NextWatchAsync();

        watch.Send(WatchEventType.Added, ConfigMap("bad", "2"));

        var e = await Assert.ThrowsAsync<EventHandlerFailedException>(() => _run!.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("default/bad", e.Message);
        _run = null;
    }

    [Fact]
    public async Task HandlerThrowingOnResync_StopsTheInformerToo()
    {
        var resyncing = false;
        _informer.AddHandler((o, n) =>
        {
            if (resyncing && ReferenceEquals(o, n)) throw new InvalidOperationException("bug");
        });
        _source.Listing = new([ConfigMap("a", "1")], "1");
        Start();
        await _source.NextWatchAsync();

        resyncing = true;
        _time.Advance(Options.ResyncPeriod);

        await Assert.ThrowsAsync<EventHandlerFailedException>(() => _run!.WaitAsync(TimeSpan.FromSeconds(10)));
        _run = null;
    }

    [Fact]
    public async Task Resync_HandsEveryCachedObjectToHandlersAgain()
    {
        _source.Listing = new([ConfigMap("a", "5"), ConfigMap("b", "6")], "6");
        Start();
        await _source.NextWatchAsync();

        _time.Advance(Options.ResyncPeriod);

        await Eventually.True(() => Events().Length == 4, "two resyncs");
        Assert.Equal(["resync a", "resync b"], Events().Skip(2).Order());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null) await _run;
        _stop.Dispose();
    }
}
