using k8s;
using k8s.Models;

namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// The shipped operator (real validation, ConfigMap allocations, Core mesh) through the double's faults while apps and
/// pods change: an API server restart with compacted history, 500s on allocation writes, dropped watches, 410 on
/// resume. It converges, hands nothing out twice, and renumbers nothing it handed out before.
/// </summary>
public sealed class AllocationFaultTests : IAsyncLifetime
{
    private ScenarioCluster? _cluster;
    private DesiredApps? _desired;
    private IReadOnlyDictionary<string, string> _before = new Dictionary<string, string>();

    private ScenarioCluster Cluster => _cluster!;
    private DesiredApps Desired => _desired!;

    public async Task InitializeAsync()
    {
        _cluster = await ScenarioCluster.StartAsync(_ => { });
        _desired = await DesiredApps.SixAppsOnTwoNodesAsync(Cluster);
        _before = (await AllocationLedger.ConvergedAsync(Cluster, Desired)).Allocated();
    }

    /// <summary>Waits for convergence, then: nothing allocated twice, and of what was allocated before only
    /// <paramref name="released"/> (keys of <see cref="AllocationLedger.Allocated"/>) changed, to gone.</summary>
    private async Task<AllocationLedger> ConvergedWithoutRenumberingAsync(params string[] released)
    {
        var after = await AllocationLedger.ConvergedAsync(Cluster, Desired);
        Assert.Empty(after.AllocatedTwice());
        Assert.Equal(released.Order(), after.Changed(_before).Select(c => c.Split(':')[0]).Order());
        Assert.All(released, key => Assert.False(after.Allocated().ContainsKey(key), $"{key} still allocated"));
        return after;
    }

    [Fact]
    public async Task ApiServerRestartsWithCompactedHistory_WhilePodsAndAppsChange_ConvergesWithoutRenumbering()
    {
        var listsBefore = Lists();
        // Something no informer watches is written first, so every informer is behind the compaction point. Without
        // it, one that had just received a bookmark of the latest resourceVersion would resume without a 410, as
        // it may from a real apiserver too, and never list.
        await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "unwatched" } }, "default");

        Cluster.Api.RestartWithCompactedHistory();
        await Desired.DeletePodAsync("app3", "app3-1");
        await Desired.AddPodAsync("app1", "app1-2", "node-2");
        await Desired.AddAppAsync("app6", ["app0"], "node-1", "node-2");

        await ConvergedWithoutRenumberingAsync("demo/app3/app3-1");
        Assert.True(Lists() > listsBefore, "the operator's informers listed again after the restart");
    }

    [Fact]
    public async Task AllocationWrites_Failing500_WhileWatchesDropEveryTwoEvents_ConvergesWithoutRenumbering()
    {
        Cluster.Api.Faults.DropWatchesAfterEvents = 2;
        Cluster.Api.Faults.FailWrites("update", "configmaps", 4);
        Cluster.Api.Requests.Clear();

        await Desired.AddPodAsync("app0", "app0-2", "node-2");
        await Desired.AddAppAsync("app6", ["app0"], "node-1", "node-2");
        await Desired.AddAppAsync("app7", [], "node-2");
        await Desired.DeletePodAsync("app4", "app4-0");

        await ConvergedWithoutRenumberingAsync("demo/app4/app4-0");
        var allocationWrites = Cluster.Api.Requests.Entries.Where(r => r is { Verb: "update", Resource: "configmaps" }).Select(r => r.StatusCode).ToList();
        Assert.Equal([500, 500, 500, 500], allocationWrites.Take(4));
        Assert.Contains(200, allocationWrites.Skip(4));
        Assert.True(Cluster.Api.Requests.Count("watch", "pods") > 1, "pod watches were dropped and reopened");
    }

    [Fact]
    public async Task WatchResumesExpired_WhileAnAppIsDeletedAndAnotherCreated_ConvergesWithoutRenumbering()
    {
        Cluster.Api.Faults.DropWatchesAfterEvents = 1;
        Cluster.Api.Faults.ExpireWatchResumes(8);
        var listsBefore = Lists();

        await Desired.DeleteAppAsync("app5");
        await Desired.AddAppAsync("app6", ["app4"], "node-2", "node-1");
        await Desired.AddPodAsync("app2", "app2-2", "node-1");

        await ConvergedWithoutRenumberingAsync("demo/app5", "demo/app5/app5-0", "demo/app5/app5-1");
        await ScenarioCluster.EventuallyAsync(async () => await Cluster.GetAppAsync("app5") is null ? "gone" : null, _ => true, "app5 finalized and gone");
        Assert.True(Lists() > listsBefore, "410 on resume made the informers list again");
    }

    private int Lists() => Cluster.Api.Requests.Entries.Count(r => r.Verb == "list" && r.Token == ScenarioCluster.OperatorToken);

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
