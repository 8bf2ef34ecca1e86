using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Metrics;
using static WgIsolate.Operator.Tests.Controllers.TestCache;

namespace WgIsolate.Operator.Tests.Controllers;

public sealed class MeshReconcilerTests
{
    private readonly ClusterCache _cache = Empty();
    private readonly FakeValidator _validator = new();
    private readonly FakeAllocations _allocations = new();
    private readonly List<string> _writeLog = [];
    private readonly FakeNodeStore _nodes;
    private readonly MeshView _view = new();
    private readonly List<AppReference> _appRequests = [];
    private readonly RecordingPlanner _planner = new();
    private readonly MeshReconciler _reconciler;

    public MeshReconcilerTests()
    {
        _nodes = new FakeNodeStore(_writeLog);
        _reconciler = new MeshReconciler(_cache, _validator, _allocations, _planner, _nodes, new FakePresharedKeys(_writeLog), _view,
            _appRequests.Add, new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry()), NullLogger<MeshReconciler>.Instance);
        _cache.Nodes.Cache.Upsert(Node("node-1", "2001:db8::1"));
        _cache.Nodes.Cache.Upsert(Node("node-2", "10.0.0.2"));
    }

    private async Task Allocate(string app, params (string Pod, string Node)[] pods)
    {
        _cache.Apps.Cache.Upsert(App(app));
        foreach (var (pod, node) in pods) _cache.Pods.Cache.Upsert(Pod(pod, app, node));
        await _allocations.EnsureAppAsync(Ref(app), CancellationToken.None);
        await _allocations.EnsureInstancesAsync(Ref(app), [.. pods.Select(p => new InstancePlacement(p.Pod, p.Node))], null, CancellationToken.None);
    }

    private Task Reconcile() => _reconciler.ReconcileAsync(MeshReconciler.Key, CancellationToken.None);

    [Fact]
    public async Task Plan_GetsAllocatedValidLiveAppsWithPublishedKeysAndNodeAddresses()
    {
        await Allocate("receiver", ("receiver-a", "node-1"));
        await Allocate("sender", ("sender-a", "node-2"));
        await Allocate("broken", ("broken-a", "node-2"));
        await Allocate("leaving", ("leaving-a", "node-2"));
        _validator.Problems["broken"] = [new("spec.listenPort", "bad")];
        var leaving = _cache.Apps.Cache.Get(new("demo", "leaving"))!;
        leaving.Metadata.DeletionTimestamp = DateTime.UtcNow;
        _cache.Apps.Cache.Upsert(leaving);
        _cache.Apps.Cache.Upsert(App("unallocated"));
        _cache.IsolatedNodes.Cache.Upsert(IsolatedNode("node-1", [Realised("receiver", "receiver-a", publicKey: "RECV=")]));

        await Reconcile();

        var input = _planner.Inputs.Single();
        Assert.Equal("fd00:1:2::/48", input.ClusterPrefix);
        Assert.Equal(["receiver", "sender"], input.Apps.Select(a => a.Ref.Name).Order());
        var receiver = input.Apps.Single(a => a.Ref.Name == "receiver").Instances.Single();
        Assert.Equal(("receiver-a", "node-1", "RECV=", 51820), (receiver.Name, receiver.Node, receiver.PublicKey, receiver.Allocation.Port));
        Assert.Null(input.Apps.Single(a => a.Ref.Name == "sender").Instances.Single().PublicKey);
        Assert.Equal(new Dictionary<string, string> { ["node-1"] = "2001:db8::1", ["node-2"] = "10.0.0.2" }, input.NodeAddresses);
    }

    [Fact]
    public async Task Reconcile_WritesOnlyNodesWhoseSpecChanged_AndEmptiesNodesLeftOut()
    {
        _cache.IsolatedNodes.Cache.Upsert(new V1Alpha1IsolatedNode { Metadata = new V1ObjectMeta { Name = "node-1" }, Spec = Spec("a") });
        _cache.IsolatedNodes.Cache.Upsert(new V1Alpha1IsolatedNode { Metadata = new V1ObjectMeta { Name = "node-3" }, Spec = Spec("old") });
        _planner.Next = new MeshPlan(new Dictionary<string, IsolatedNodeSpec> { ["node-1"] = Spec("a"), ["node-2"] = Spec("b") },
            new Dictionary<AppReference, IReadOnlyList<PeerStatus>>());

        await Reconcile();

        Assert.Equal(["node-2", "node-3"], _nodes.Writes.Select(w => w.Node));
        Assert.Empty(_nodes.Writes.Single(w => w.Node == "node-3").Spec.Interfaces);
    }

    [Fact]
    public async Task Reconcile_StoresPresharedKeysBeforeAnySpecRefersToThem_AndPrunesOnlyAfter()
    {
        var spec = Spec("a");
        spec.Interfaces[0].Peers = [new NodePeerSpec { PresharedKeyRef = new SecretKeyReference { Name = "psk", Key = "demo.a--demo.b" } }];
        _planner.Next = new MeshPlan(new Dictionary<string, IsolatedNodeSpec> { ["node-1"] = spec }, new Dictionary<AppReference, IReadOnlyList<PeerStatus>>());

        await Reconcile();

        Assert.Equal(["psk demo.a--demo.b", "spec node-1", "psk prune demo.a--demo.b"], _writeLog);
    }

    [Fact]
    public async Task Reconcile_PeerStatesChanged_RequestsOnlyThoseApps()
    {
        PeerStatus Peer(string name, string state) => new() { Name = name, Namespace = "demo", State = state };
        _view.Publish(new Dictionary<AppReference, IReadOnlyList<PeerStatus>>
        {
            [Ref("a")] = [Peer("b", PeerStates.WaitingForAcceptance)],
            [Ref("c")] = [Peer("d", PeerStates.NotFound)],
        });
        _planner.Next = new MeshPlan(new Dictionary<string, IsolatedNodeSpec>(), new Dictionary<AppReference, IReadOnlyList<PeerStatus>>
        {
            [Ref("a")] = [Peer("b", PeerStates.Connected)],
            [Ref("b")] = [Peer("a", PeerStates.Connected)],
            [Ref("c")] = [Peer("d", PeerStates.NotFound)],
        });

        await Reconcile();

        Assert.Equal(["a", "b"], _appRequests.Select(a => a.Name).Order());
        Assert.Equal(PeerStates.Connected, _view.PeersOf(Ref("a"))!.Single().State);
    }

    private static IsolatedNodeSpec Spec(string app) => new()
    {
        ClusterPrefix = "fd00:1:2::/48",
        Interfaces = [new NodeInterfaceSpec { App = Ref(app), Instance = $"{app}-0" }],
    };
}
