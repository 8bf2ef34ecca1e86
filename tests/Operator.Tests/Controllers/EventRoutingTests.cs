using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Runtime;
using WgIsolate.Operator.Tests.Runtime;
using static WgIsolate.Operator.Tests.Controllers.TestCache;

namespace WgIsolate.Operator.Tests.Controllers;

public sealed class EventRoutingTests : IAsyncDisposable
{
    private readonly FakeResourceSource<V1Alpha1IsolatedApp> _apps = new();
    private readonly FakeResourceSource<V1Pod> _pods = new();
    private readonly FakeResourceSource<V1Node> _nodes = new();
    private readonly FakeResourceSource<V1Alpha1IsolatedNode> _isolatedNodes = new();
    private readonly ClusterCache _cache;
    private readonly WorkQueue _appQueue = new(TimeProvider.System, BackoffRateLimiter.Default());
    private readonly WorkQueue _meshQueue = new(TimeProvider.System, BackoffRateLimiter.Default());
    private readonly NodeSpecWrites _ownWrites = new();
    private readonly CancellationTokenSource _stop = new();
    private MeshRequests? _mesh;
    private Task? _run;

    public EventRoutingTests()
    {
        _cache = new ClusterCache(_apps, _pods, _nodes, _isolatedNodes, new InformerOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        _mesh = new MeshRequests(_meshQueue);
        EventRouting.Wire(_cache, _appQueue, _mesh, _ownWrites);
    }

    private async Task<(FakeResourceSource<V1Alpha1IsolatedApp>.FakeWatch Apps, FakeResourceSource<V1Pod>.FakeWatch Pods,
        FakeResourceSource<V1Node>.FakeWatch Nodes, FakeResourceSource<V1Alpha1IsolatedNode>.FakeWatch IsolatedNodes)> StartAsync()
    {
        _run = _cache.RunAsync(_stop.Token);
        var watches = (await _apps.NextWatchAsync(), await _pods.NextWatchAsync(), await _nodes.NextWatchAsync(), await _isolatedNodes.NextWatchAsync());
        await Drain(_appQueue);
        await Drain(_meshQueue);
        return watches;
    }

    private static async Task<List<string>> Drain(WorkQueue queue)
    {
        var keys = new List<string>();
        while (queue.Depth > 0)
        {
            var key = (await queue.GetAsync(CancellationToken.None))!.Value;
            keys.Add(key.ToString());
            queue.Done(key);
        }

        return keys;
    }

    /// <summary>Waits until the informer moved its resourceVersion past the event, which it does after the handlers ran.</summary>
    private static async Task<List<string>> DrainAfter(WorkQueue queue, Func<bool> applied)
    {
        await Eventually.True(applied, "event handled");
        return await Drain(queue);
    }

    [Fact]
    public async Task PodRelabelled_EnqueuesTheAppsOfItsOldAndNewLabels()
    {
        _apps.Listing = new([App("receiver"), App("sender")], "1");
        _pods.Listing = new([Pod("p", "receiver", "node-1")], "1");
        var (_, pods, _, _) = await StartAsync();

        var relabelled = Pod("p", "sender", "node-1");
        relabelled.Metadata.ResourceVersion = "2";
        pods.Send(WatchEventType.Modified, relabelled);

        Assert.Equal(["demo/receiver", "demo/sender"], (await DrainAfter(_appQueue, () => _cache.Pods.LastResourceVersion == "2")).Order());
    }

    [Fact]
    public async Task AppChanged_EnqueuesItselfAndTheMesh()
    {
        var (apps, _, _, _) = await StartAsync();

        var app = App("receiver");
        app.Metadata.ResourceVersion = "2";
        apps.Send(WatchEventType.Added, app);

        Assert.Equal(["demo/receiver"], await DrainAfter(_appQueue, () => _cache.Apps.LastResourceVersion == "2"));
        Assert.Equal(["mesh"], await Drain(_meshQueue));
    }

    [Fact]
    public async Task NodeHeartbeat_EnqueuesNothing_AddressChange_EnqueuesMeshAndAppsWithInstancesThere()
    {
        _apps.Listing = new([App("receiver"), App("sender")], "1");
        _pods.Listing = new([Pod("r", "receiver", "node-1"), Pod("s", "sender", "node-2")], "1");
        _nodes.Listing = new([Node("node-1", "10.0.0.1")], "1");
        var (_, _, nodes, _) = await StartAsync();

        var heartbeat = Node("node-1", "10.0.0.1");
        heartbeat.Metadata.ResourceVersion = "2";
        heartbeat.Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }];
        nodes.Send(WatchEventType.Modified, heartbeat);
        Assert.Empty(await DrainAfter(_appQueue, () => _cache.Nodes.LastResourceVersion == "2"));
        Assert.Empty(await Drain(_meshQueue));

        var moved = Node("node-1", "2001:db8::1");
        moved.Metadata.ResourceVersion = "3";
        nodes.Send(WatchEventType.Modified, moved);
        Assert.Equal(["demo/receiver"], await DrainAfter(_appQueue, () => _cache.Nodes.LastResourceVersion == "3"));
        Assert.Equal(["mesh"], await Drain(_meshQueue));
    }

    [Fact]
    public async Task AppStatusWrite_EnqueuesTheAppButNotTheMesh()
    {
        _apps.Listing = new([App("receiver")], "1");
        var (apps, _, _, _) = await StartAsync();

        var withStatus = App("receiver");
        withStatus.Metadata.ResourceVersion = "2";
        withStatus.Status = new IsolatedAppStatus { Subnet = "fd00:1::/64" };
        apps.Send(WatchEventType.Modified, withStatus);

        Assert.Equal(["demo/receiver"], await DrainAfter(_appQueue, () => _cache.Apps.LastResourceVersion == "2"));
        Assert.Empty(await Drain(_meshQueue));
    }

    [Fact]
    public async Task OwnSpecWriteOnIsolatedNode_EnqueuesNothing()
    {
        _isolatedNodes.Listing = new([IsolatedNode("node-1", [Realised("receiver", "r", publicKey: "K=")])], "1");
        var (_, _, _, isolatedNodes) = await StartAsync();

        var respecced = IsolatedNode("node-1", [Realised("receiver", "r", publicKey: "K=")], [new NodeInterfaceSpec { Instance = "r" }]);
        respecced.Metadata.ResourceVersion = "2";
        _ownWrites.Sent("node-1", NodeSpecDigest.Of(respecced.Spec));
        isolatedNodes.Send(WatchEventType.Modified, respecced);

        Assert.Empty(await DrainAfter(_appQueue, () => _cache.IsolatedNodes.LastResourceVersion == "2"));
        Assert.Empty(await Drain(_meshQueue));
    }

    [Fact]
    public async Task SpecWrittenBySomeoneElse_AsksTheMeshToCheckThatNode_EvenAfterAnOwnWriteCameBack()
    {
        _isolatedNodes.Listing = new([IsolatedNode("node-1", [])], "1");
        var (_, _, _, isolatedNodes) = await StartAsync();
        var own = IsolatedNode("node-1", [], [new NodeInterfaceSpec { Instance = "r", ListenPort = 51820 }]);
        own.Metadata.ResourceVersion = "2";
        var foreign = IsolatedNode("node-1", [], [new NodeInterfaceSpec { Instance = "r", ListenPort = 51821 }]);
        foreign.Metadata.ResourceVersion = "3";
        _ownWrites.Sent("node-1", NodeSpecDigest.Of(own.Spec));

        isolatedNodes.Send(WatchEventType.Modified, own);
        var afterOwn = await DrainAfter(_meshQueue, () => _cache.IsolatedNodes.LastResourceVersion == "2");
        isolatedNodes.Send(WatchEventType.Modified, foreign);
        var afterForeign = await DrainAfter(_meshQueue, () => _cache.IsolatedNodes.LastResourceVersion == "3");

        Assert.Empty(afterOwn);
        Assert.Equal(["mesh"], afterForeign);
        Assert.Equal(["node-1"], _mesh!.Take().Specs);
    }

    [Fact]
    public async Task AgentStatus_EnqueuesMeshAndTheAppsItReportsOn()
    {
        var (_, _, _, isolatedNodes) = await StartAsync();

        var reported = IsolatedNode("node-1", [Realised("receiver", "r", publicKey: "K="), Realised("sender", "s")]);
        reported.Metadata.ResourceVersion = "5";
        isolatedNodes.Send(WatchEventType.Added, reported);

        Assert.Equal(["demo/receiver", "demo/sender"], (await DrainAfter(_appQueue, () => _cache.IsolatedNodes.LastResourceVersion == "5")).Order());
        Assert.Equal(["mesh"], await Drain(_meshQueue));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null) await _run;
        _appQueue.Dispose();
        _meshQueue.Dispose();
        _stop.Dispose();
    }
}
