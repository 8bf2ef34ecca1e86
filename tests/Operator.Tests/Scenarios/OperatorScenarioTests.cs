using Microsoft.Extensions.DependencyInjection;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Tests.Controllers;

namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// The operator against the API server double with the real client: finalizer, status, node specs, InvalidSpec and
/// deletion, through real list/watch, status subresource and resourceVersion semantics.
/// </summary>
public sealed class OperatorScenarioTests : IAsyncLifetime
{
    private readonly FakeValidator _validator = new();
    private readonly FakeAllocations _allocations = new();
    private ScenarioCluster? _cluster;

    private ScenarioCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        _cluster = await ScenarioCluster.StartAsync(services =>
        {
            services.AddSingleton<IAppValidator>(_validator);
            services.AddSingleton<IAllocations>(_allocations);
            services.AddSingleton<IMeshPlanner, InstancesOnlyPlanner>();
        });
        await Cluster.CreateNodeAsync("node-1", "2001:db8::1");
        await Cluster.CreateNodeAsync("node-2", "10.0.0.2");
    }

    [Fact]
    public async Task App_WithPodsOnTwoNodes_GetsFinalizerStatusAndOneIsolatedNodePerNode()
    {
        await Cluster.CreatePodAsync("receiver-0", "receiver", "node-1");
        await Cluster.CreatePodAsync("receiver-1", "receiver", "node-2");
        await Cluster.CreateAppAsync("receiver");

        var app = await ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync("receiver"), a => a.Status?.Instances.Count == 2, "status with two instances");
        var node1 = await ScenarioCluster.EventuallyAsync(() => Cluster.GetIsolatedNodeAsync("node-1"), n => n.Spec.Interfaces.Count == 1, "IsolatedNode node-1");
        var node2 = await ScenarioCluster.EventuallyAsync(() => Cluster.GetIsolatedNodeAsync("node-2"), n => n.Spec.Interfaces.Count == 1, "IsolatedNode node-2");

        Assert.Contains(IsolatedAppReconciler.Finalizer, app.Metadata.Finalizers);
        Assert.Equal(1, app.Status!.ObservedGeneration);
        Assert.Equal([("receiver-0", "node-1", "[2001:db8::1]:51820"), ("receiver-1", "node-2", "10.0.0.2:51821")],
            app.Status.Instances.Select(i => (i.Name, i.Node!, i.Endpoint!)));
        Assert.Equal(("receiver-0", "fd00:1:2::/48"), (node1.Spec.Interfaces[0].Instance, node1.Spec.ClusterPrefix));
        Assert.Equal("receiver-1", node2.Spec.Interfaces[0].Instance);
        Assert.Contains(await Cluster.EventsAsync(), e => e.Reason == "Allocated" && e.InvolvedObject.Name == "receiver");
    }

    [Fact]
    public async Task App_Invalid_ReadyFalseWithFieldPathsAndAWarningEvent_NothingAllocated()
    {
        _validator.Problems["broken"] = [new("spec.peers[0].name", "must not name the app itself")];
        await Cluster.CreatePodAsync("broken-0", "broken", "node-1");
        await Cluster.CreateAppAsync("broken", "broken");

        var app = await ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync("broken"), a => a.Status?.Conditions.Count > 0, "a status");

        var ready = app.Status!.Conditions.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(("False", "InvalidSpec", "spec.peers[0].name: must not name the app itself"), (ready.Status, ready.Reason, ready.Message));
        Assert.Null(app.Status.Subnet);
        Assert.Empty(_allocations.Calls);
        Assert.Null(app.Metadata.Finalizers);
        Assert.Contains(await Cluster.EventsAsync(), e => e is { Type: "Warning", Reason: "InvalidSpec" } && e.Message.Contains("spec.peers[0].name"));
    }

    [Fact]
    public async Task App_Deleted_StaysUntilTheAgentReportsItGone_ThenIsReleasedAndRemoved()
    {
        await Cluster.CreatePodAsync("receiver-0", "receiver", "node-1");
        await Cluster.CreateAppAsync("receiver");
        await ScenarioCluster.EventuallyAsync(() => Cluster.GetIsolatedNodeAsync("node-1"), n => n.Spec.Interfaces.Count == 1, "the interface on node-1");
        await Cluster.AgentReportsAsync("node-1", new NodeInterfaceStatus { App = TestCache.Ref("receiver"), Instance = "receiver-0", Ready = true, PublicKey = "K=" });
        await ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync("receiver"), a => a.Status?.Instances.SingleOrDefault()?.Ready == true, "instance ready");

        await Cluster.DeleteAppAsync("receiver");

        await ScenarioCluster.EventuallyAsync(() => Cluster.GetIsolatedNodeAsync("node-1"), n => n.Spec.Interfaces.Count == 0, "the interface removed from node-1's spec");
        await Task.Delay(500);
        var waiting = await Cluster.GetAppAsync("receiver");
        Assert.NotNull(waiting?.Metadata.DeletionTimestamp);
        Assert.DoesNotContain("release demo/receiver", _allocations.Calls);

        await Cluster.AgentReportsAsync("node-1");

        await ScenarioCluster.EventuallyAsync(async () => await Cluster.GetAppAsync("receiver") is null ? "gone" : null, _ => true, "the app deleted");
        Assert.Contains("release demo/receiver", _allocations.Calls);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
