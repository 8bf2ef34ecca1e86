using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Runtime;
using static WgIsolate.Operator.Tests.Controllers.TestCache;

namespace WgIsolate.Operator.Tests.Controllers;

public sealed class IsolatedAppReconcilerTests
{
    private static readonly ResourceKey Receiver = new("demo", "receiver");

    private readonly ClusterCache _cache = Empty();
    private readonly FakeValidator _validator = new();
    private readonly FakeAllocations _allocations = new();
    private readonly FakeAppStore _apps;
    private readonly RecordingEvents _events = new();
    private readonly MeshView _mesh = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private readonly IsolatedAppReconciler _reconciler;
    private int _meshRequests;

    public IsolatedAppReconcilerTests()
    {
        _apps = new FakeAppStore(_cache);
        _reconciler = new IsolatedAppReconciler(_cache, _validator, _allocations, _apps, _events, _mesh, _ => _meshRequests++,
            TimeSpan.FromMinutes(2), _time, NullLogger<IsolatedAppReconciler>.Instance);
        _cache.Nodes.Cache.Upsert(Node("node-1", "2001:db8::1"));
        _cache.Nodes.Cache.Upsert(Node("node-2", "10.0.0.2"));
    }

    private V1Alpha1IsolatedApp Current => _cache.Apps.Cache.Get(Receiver)!;

    private Task<ReconcileResult> Reconcile() => _reconciler.ReconcileAsync(Receiver, CancellationToken.None);

    [Fact]
    public async Task Reconcile_InvalidSpec_ReportsFieldPathsAndAllocatesNothing()
    {
        _cache.Apps.Cache.Upsert(App("receiver", "sender"));
        _validator.Problems["receiver"] = [new("spec.egress.routes[2]", "\"10.0.0.300/8\" is not a CIDR"), new("spec.listenPort", "70000 is not a port")];

        var result = await Reconcile();

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Empty(_allocations.Calls);
        Assert.Null(Current.Metadata.Finalizers);
        var ready = Assert.Single(Current.Status!.Conditions, c => c.Type == ConditionTypes.Ready);
        Assert.Equal(("False", "InvalidSpec"), (ready.Status, ready.Reason));
        Assert.Equal("spec.egress.routes[2]: \"10.0.0.300/8\" is not a CIDR; spec.listenPort: 70000 is not a port", ready.Message);
        Assert.Equal(1, Current.Status.ObservedGeneration);
        Assert.Contains(_events.Events, e => e.StartsWith("Warning InvalidSpec receiver: spec.egress.routes[2]"));
    }

    [Fact]
    public async Task Reconcile_ValidApp_AddsFinalizerAllocatesInstancesAndReportsThem()
    {
        _cache.Apps.Cache.Upsert(App("receiver"));
        _cache.Pods.Cache.Upsert(Pod("receiver-a", "receiver", "node-1"));
        _cache.Pods.Cache.Upsert(Pod("receiver-b", "receiver", "node-2"));
        _cache.Pods.Cache.Upsert(Pod("other", "sender", "node-2"));

        await Reconcile();

        Assert.Contains(IsolatedAppReconciler.Finalizer, Current.Metadata.Finalizers!);
        Assert.Equal(["ensure demo/receiver: receiver-a@node-1,receiver-b@node-2"], _allocations.Calls);
        Assert.Equal(1, _meshRequests);
        var status = Current.Status!;
        Assert.Equal("fd00:1:2:1::/64", status.Subnet);
        Assert.Equal(
            [("receiver-a", "node-1", "fd00:1:2:1::1", "[2001:db8::1]:51820", false), ("receiver-b", "node-2", "fd00:1:2:1::2", "10.0.0.2:51821", false)],
            status.Instances.Select(i => (i.Name, i.Node, i.Address, i.Endpoint, i.Ready)));
        var ready = Assert.Single(status.Conditions, c => c.Type == ConditionTypes.Ready);
        Assert.Equal(("False", "WaitingForAgents"), (ready.Status, ready.Reason));
        Assert.Contains("Normal Allocated receiver: subnet fd00:1:2:1::/64, id 1", _events.Events);
    }

    [Fact]
    public async Task Reconcile_AgentsReportInstancesReady_ReadyTrueWithPublicKeys()
    {
        _cache.Apps.Cache.Upsert(App("receiver"));
        _cache.Pods.Cache.Upsert(Pod("receiver-a", "receiver", "node-1"));
        _cache.IsolatedNodes.Cache.Upsert(IsolatedNode("node-1", [Realised("receiver", "receiver-a", ready: true, publicKey: "PUB=")],
            [new NodeInterfaceSpec { App = Ref("receiver"), Instance = "receiver-a", Netns = "/run/netns/receiver-a" }]));

        await Reconcile();

        var instance = Assert.Single(Current.Status!.Instances);
        Assert.Equal(("PUB=", "/run/netns/receiver-a", true), (instance.PublicKey, instance.Netns, instance.Ready));
        Assert.Equal("True", Current.Status.Conditions.Single(c => c.Type == ConditionTypes.Ready).Status);
        Assert.Equal("False", Current.Status.Conditions.Single(c => c.Type == ConditionTypes.Progressing).Status);
    }

    [Fact]
    public async Task Reconcile_AgentReportsAnError_Degraded()
    {
        _cache.Apps.Cache.Upsert(App("receiver"));
        _cache.Pods.Cache.Upsert(Pod("receiver-a", "receiver", "node-1"));
        _cache.IsolatedNodes.Cache.Upsert(IsolatedNode("node-1", [Realised("receiver", "receiver-a", error: "EEXIST on link add")]));

        await Reconcile();

        var degraded = Current.Status!.Conditions.Single(c => c.Type == ConditionTypes.Degraded);
        Assert.Equal(("True", "AgentError"), (degraded.Status, degraded.Reason));
        Assert.Contains("receiver-a on node-1: EEXIST on link add", degraded.Message);
    }

    [Fact]
    public async Task Reconcile_FixedPortTaken_WarnsOnTheAppAndFailsForARetry()
    {
        _cache.Apps.Cache.Upsert(App("receiver"));
        _cache.Pods.Cache.Upsert(Pod("receiver-a", "receiver", "node-1"));
        _allocations.FailInstances = new WgIsolate.Core.Allocation.AllocationConflictException("port 51820 on node node-1 is already used by demo/other/other-0");

        await Assert.ThrowsAsync<WgIsolate.Core.Allocation.AllocationConflictException>(Reconcile);

        Assert.Contains("Warning AllocationFailed receiver: port 51820 on node node-1 is already used by demo/other/other-0", _events.Events);
    }

    [Fact]
    public async Task Reconcile_NothingChanged_WritesStatusOnce()
    {
        _cache.Apps.Cache.Upsert(App("receiver"));
        _cache.Pods.Cache.Upsert(Pod("receiver-a", "receiver", "node-1"));

        await Reconcile();
        _time.Advance(TimeSpan.FromMinutes(5));
        await Reconcile();
        await Reconcile();

        Assert.Single(_apps.Statuses);
    }

    [Fact]
    public async Task Reconcile_PeerNotAccepting_ReportsStateAndAnEvent()
    {
        _cache.Apps.Cache.Upsert(App("receiver", "sender"));
        _mesh.Publish(new Dictionary<AppReference, IReadOnlyList<PeerStatus>>
        {
            [Ref("receiver")] = [new PeerStatus { Name = "sender", Namespace = "demo", State = PeerStates.WaitingForAcceptance }],
        });

        await Reconcile();

        Assert.Equal(PeerStates.WaitingForAcceptance, Assert.Single(Current.Status!.Peers).State);
        Assert.Contains("Normal WaitingForAcceptance receiver: peer demo/sender: WaitingForAcceptance", _events.Events);
    }

    [Fact]
    public async Task Delete_AgentsStillReportTheApp_WaitsAndKeepsAllocations()
    {
        await CreateThenDeleteWithInterfaceOnNode1();

        var result = await Reconcile();

        Assert.Equal(ReconcileResult.After(IsolatedAppReconciler.CleanupPollInterval), result);
        Assert.Equal(1, _meshRequests);
        Assert.DoesNotContain("release demo/receiver", _allocations.Calls);
        Assert.Contains(IsolatedAppReconciler.Finalizer, Current.Metadata.Finalizers!);
    }

    [Fact]
    public async Task Delete_AgentsReportTheAppGone_ReleasesAndRemovesFinalizer()
    {
        await CreateThenDeleteWithInterfaceOnNode1();
        await Reconcile();

        _cache.IsolatedNodes.Cache.Upsert(IsolatedNode("node-1", []));
        var result = await Reconcile();

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Contains("release demo/receiver", _allocations.Calls);
        Assert.DoesNotContain(IsolatedAppReconciler.Finalizer, Current.Metadata.Finalizers!);
        Assert.DoesNotContain(_events.Events, e => e.Contains("CleanupTimeout"));
    }

    [Fact]
    public async Task Delete_AgentNeverReports_AfterTheTimeoutReportsAndReleases()
    {
        await CreateThenDeleteWithInterfaceOnNode1();
        _time.Advance(TimeSpan.FromMinutes(2));

        var result = await Reconcile();

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Contains("release demo/receiver", _allocations.Calls);
        Assert.Contains(_events.Events, e => e.StartsWith("Warning CleanupTimeout receiver: agents on node-1 did not report"));
        Assert.DoesNotContain(IsolatedAppReconciler.Finalizer, Current.Metadata.Finalizers!);
    }

    private async Task CreateThenDeleteWithInterfaceOnNode1()
    {
        _cache.Apps.Cache.Upsert(App("receiver"));
        _cache.Pods.Cache.Upsert(Pod("receiver-a", "receiver", "node-1"));
        await Reconcile();
        _cache.IsolatedNodes.Cache.Upsert(IsolatedNode("node-1", [Realised("receiver", "receiver-a", ready: true)]));
        var deleting = Current;
        deleting.Metadata.DeletionTimestamp = _time.GetUtcNow().UtcDateTime;
        _cache.Apps.Cache.Upsert(deleting);
        _meshRequests = 0;
    }
}
