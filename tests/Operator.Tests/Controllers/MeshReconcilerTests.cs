using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Metrics;
using WgIsolate.Operator.Runtime;
using static WgIsolate.Operator.Tests.Controllers.TestCache;

namespace WgIsolate.Operator.Tests.Controllers;

/// <summary>The mesh reconciler over Core's planner: built whole once, then changed per requested app.</summary>
public sealed class MeshReconcilerTests : IDisposable
{
    private readonly ClusterCache _cache = Empty();
    private readonly FakeValidator _validator = new();
    private readonly FakeAllocations _allocations = new();
    private readonly List<string> _writeLog = [];
    private readonly FakeNodeStore _nodes;
    private readonly NodeSpecWrites _ownWrites = new();
    private readonly MeshView _view = new();
    private readonly WorkQueue _meshQueue = new(TimeProvider.System, BackoffRateLimiter.Default());
    private readonly MeshRequests _requests;
    private readonly List<AppReference> _appRequests = [];
    private readonly MeshReconciler _reconciler;

    public MeshReconcilerTests()
    {
        _nodes = new FakeNodeStore(_writeLog);
        _requests = new MeshRequests(_meshQueue);
        _reconciler = new MeshReconciler(_cache, _validator, _allocations, new CoreMeshPlanner("psk"), _nodes, _ownWrites, new FakePresharedKeys(_writeLog), _view,
            _requests, _appRequests.Add, new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry()), NullLogger<MeshReconciler>.Instance);
        _cache.Nodes.Cache.Upsert(Node("node-1", "2001:db8::1"));
        _cache.Nodes.Cache.Upsert(Node("node-2", "10.0.0.2"));
        _cache.Nodes.Cache.Upsert(Node("node-3", "10.0.0.3"));
    }

    private async Task Allocate(V1Alpha1IsolatedApp app, params (string Pod, string Node)[] pods)
    {
        _cache.Apps.Cache.Upsert(app);
        foreach (var (pod, node) in pods) _cache.Pods.Cache.Upsert(Pod(pod, app.Metadata.Name, node));
        var all = _cache.InstancesOf(app).Select(p => new InstancePlacement(p.Metadata.Name, p.Spec.NodeName)).ToList();
        await _allocations.EnsureAsync(Ref(app.Metadata.Name), all, null, CancellationToken.None);
    }

    /// <summary>Agents publish one key per instance on their node.</summary>
    private void Keys(string node, params (string App, string Instance)[] instances) =>
        _cache.IsolatedNodes.Cache.Upsert(IsolatedNode(node, [.. instances.Select(i => Realised(i.App, i.Instance, publicKey: $"{i.Instance}-key="))]));

    private async Task<List<string>> Reconcile()
    {
        _nodes.Writes.Clear();
        _nodes.Bases.Clear();
        await _reconciler.ReconcileAsync(MeshReconciler.Key, CancellationToken.None);
        return [.. _nodes.Writes.Select(w => w.Node).Order()];
    }

    private NodeInterfaceSpec Written(string node, string instance) => _nodes.Writes.Last(w => w.Node == node).Spec.Interfaces.Single(i => i.Instance == instance);

    [Fact]
    public async Task FirstReconcile_PlansValidAllocatedLiveApps_WithPublishedKeysAndNodeAddresses()
    {
        await Allocate(App("receiver", "sender"), ("receiver-a", "node-1"));
        await Allocate(App("sender", "receiver"), ("sender-a", "node-2"));
        await Allocate(App("broken", "receiver"), ("broken-a", "node-2"));
        var leaving = App("leaving");
        leaving.Metadata.DeletionTimestamp = DateTime.UtcNow;
        await Allocate(leaving, ("leaving-a", "node-2"));
        _cache.Apps.Cache.Upsert(App("unallocated"));
        _validator.Problems["broken"] = [new("spec.listenPort", "bad")];
        Keys("node-1", ("receiver", "receiver-a"));
        Keys("node-2", ("sender", "sender-a"));

        Assert.Equal(["node-1", "node-2"], await Reconcile());

        var receiver = Written("node-1", "receiver-a");
        Assert.Equal(("sender-a", "sender-a-key=", "10.0.0.2:51820"), (receiver.Peers.Single().Instance, receiver.Peers[0].PublicKey, receiver.Peers[0].Endpoint));
        Assert.Equal("[2001:db8::1]:51820", Written("node-2", "sender-a").Peers.Single().Endpoint);
        Assert.Single(_nodes.Writes.Single(w => w.Node == "node-2").Spec.Interfaces);
        Assert.Equal("fd00:1:2::/48", _nodes.Writes[0].Spec.ClusterPrefix);
    }

    [Fact]
    public async Task OneAppChanged_WritesOnlyTheNodesItTouches_AndNothingWhenNothingChanged()
    {
        await Allocate(App("receiver", "sender"), ("receiver-a", "node-1"));
        await Allocate(App("sender", "receiver"), ("sender-a", "node-2"));
        await Allocate(App("loner"), ("loner-a", "node-3"));
        Keys("node-1", ("receiver", "receiver-a"));
        Keys("node-2", ("sender", "sender-a"));
        Assert.Equal(["node-1", "node-2", "node-3"], await Reconcile());

        _requests.App(Ref("sender"));
        _requests.App(Ref("loner"));
        Assert.Empty(await Reconcile());

        await Allocate(App("sender", "receiver"), ("sender-b", "node-2"));
        Keys("node-2", ("sender", "sender-a"), ("sender", "sender-b"));
        _requests.App(Ref("sender"));
        Assert.Equal(["node-1", "node-2"], await Reconcile());
        Assert.Equal(["sender-a", "sender-b"], Written("node-1", "receiver-a").Peers.Select(p => p.Instance));
    }

    [Fact]
    public async Task NextWriteToANode_IsSentAgainstTheSpecLastWrittenOrFoundThere()
    {
        await Allocate(App("receiver", "sender"), ("receiver-a", "node-1"));
        await Allocate(App("sender", "receiver"), ("sender-a", "node-2"));
        await Reconcile();
        var first = _nodes.Writes.FindIndex(w => w.Node == "node-1");
        Assert.Null(_nodes.Bases[first]);
        var firstSpec = _nodes.Writes[first].Spec;

        // The generation is the one the write answered with.
        await Allocate(App("sender", "receiver"), ("sender-a", "node-2"), ("sender-b", "node-2"));
        Keys("node-2", ("sender", "sender-a"), ("sender", "sender-b"));
        _requests.App(Ref("sender"));
        await Reconcile();
        var second = _nodes.Writes.FindIndex(w => w.Node == "node-1");
        Assert.Equal(new NodeSpecBasis(firstSpec, first + 1), _nodes.Bases[second]);

        // After a restart (a resync of a new reconciler) the cached spec that equals the plan is the basis.
        var planned = _nodes.Writes[second].Spec;
        _cache.IsolatedNodes.Cache.Upsert(NodeSpecDigest.Trim(new V1Alpha1IsolatedNode
        {
            Metadata = new V1ObjectMeta { Name = "node-1", Generation = 7 },
            Spec = planned,
        }));
        var restarted = new MeshReconciler(_cache, _validator, _allocations, new CoreMeshPlanner("psk"), _nodes, new NodeSpecWrites(),
            new FakePresharedKeys(_writeLog), new MeshView(), _requests, _appRequests.Add, new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry()),
            NullLogger<MeshReconciler>.Instance);
        _nodes.Writes.Clear();
        await restarted.ReconcileAsync(MeshReconciler.Key, CancellationToken.None);
        Assert.DoesNotContain(_nodes.Writes, w => w.Node == "node-1");

        await Allocate(App("sender", "receiver"), ("sender-a", "node-2"), ("sender-b", "node-2"), ("sender-c", "node-3"));
        Keys("node-3", ("sender", "sender-c"));
        _requests.App(Ref("sender"));
        _nodes.Writes.Clear();
        _nodes.Bases.Clear();
        await restarted.ReconcileAsync(MeshReconciler.Key, CancellationToken.None);
        var third = _nodes.Writes.FindIndex(w => w.Node == "node-1");
        Assert.Equal(7, _nodes.Bases[third]!.Generation);
        Assert.Equal(KubernetesJson.Serialize(planned), KubernetesJson.Serialize(_nodes.Bases[third]!.Spec));
        Assert.Equal(["sender-a", "sender-b", "sender-c"], Written("node-1", "receiver-a").Peers.Select(p => p.Instance));
    }

    [Fact]
    public async Task NodeWithAnIsolatedNodeButNothingPlanned_IsEmptied()
    {
        _cache.IsolatedNodes.Cache.Upsert(IsolatedNode("node-3", [], [new NodeInterfaceSpec { App = Ref("gone"), Instance = "gone-a" }]));

        Assert.Equal(["node-3"], await Reconcile());
        Assert.Empty(_nodes.Writes.Single().Spec.Interfaces);
    }

    [Fact]
    public async Task PresharedKeys_StoredBeforeAnySpecRefersToThem_AndPrunedOnlyAfter()
    {
        var receiver = App("receiver", "sender");
        receiver.Spec.PresharedKey = true;
        await Allocate(receiver, ("receiver-a", "node-1"));
        await Allocate(App("sender", "receiver"), ("sender-a", "node-2"));
        Keys("node-1", ("receiver", "receiver-a"));
        Keys("node-2", ("sender", "sender-a"));

        await Reconcile();

        var key = Written("node-1", "receiver-a").Peers.Single().PresharedKeyRef!.Key;
        Assert.Equal(key, Written("node-2", "sender-a").Peers.Single().PresharedKeyRef!.Key);
        Assert.Equal($"psk {key}", _writeLog[0]);
        Assert.Equal(["spec node-1", "spec node-2"], _writeLog[1..^1].Order());
        Assert.Equal($"psk prune {key}", _writeLog[^1]);
    }

    [Fact]
    public async Task PeerStatesChanged_RequestsOnlyThoseApps()
    {
        await Allocate(App("receiver", "sender"), ("receiver-a", "node-1"));
        await Allocate(App("sender"), ("sender-a", "node-2"));
        await Allocate(App("loner"), ("loner-a", "node-3"));
        await Reconcile();
        Assert.Equal(PeerStates.WaitingForAcceptance, _view.PeersOf(Ref("receiver"))!.Single().State);
        _appRequests.Clear();

        _cache.Apps.Cache.Upsert(App("sender", "receiver"));
        _requests.App(Ref("sender"));
        await Reconcile();

        Assert.Equal(["receiver", "sender"], _appRequests.Select(a => a.Name).Order());
        Assert.Equal(PeerStates.Connected, _view.PeersOf(Ref("receiver"))!.Single().State);
    }

    [Fact]
    public async Task FailedNodeWrite_IsWrittenByTheRetry_WithoutANewRequest()
    {
        await Allocate(App("receiver"), ("receiver-a", "node-1"));
        await Allocate(App("sender"), ("sender-a", "node-2"));
        _nodes.FailNextWriteTo = "node-1";

        await Assert.ThrowsAsync<HttpRequestException>(Reconcile);
        var first = _nodes.Writes.Select(w => w.Node).ToList();
        var retry = await Reconcile();

        Assert.Contains("node-1", retry);
        Assert.Equal(["node-1", "node-2"], first.Concat(retry).Order());
        Assert.Empty(await Reconcile());
    }

    [Fact]
    public async Task FailedWriteToAnExistingNode_IsWrittenByTheRetry_ThoughItWasRecordedAsSent()
    {
        _cache.IsolatedNodes.Cache.Upsert(NodeSpecDigest.Trim(IsolatedNode("node-1", [], [new NodeInterfaceSpec { App = Ref("old"), Instance = "old-a" }])));
        await Allocate(App("receiver"), ("receiver-a", "node-1"));
        _nodes.FailNextWriteTo = "node-1";

        await Assert.ThrowsAsync<HttpRequestException>(Reconcile);
        var retry = await Reconcile();

        Assert.Equal(["node-1"], retry);
        Assert.Equal("receiver-a", _nodes.Writes.Single().Spec.Interfaces.Single().Instance);
    }

    public void Dispose() => _meshQueue.Dispose();
}
