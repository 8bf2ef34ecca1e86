using Microsoft.Extensions.DependencyInjection;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Tests.Controllers;

namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>The operator converges through the double's faults: dropped watches, failing writes, 410 on resume, restarts.</summary>
public sealed class OperatorFaultTests : IAsyncLifetime
{
    private readonly FakeAllocations _allocations = new();
    private ScenarioCluster? _cluster;

    private ScenarioCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        _cluster = await ScenarioCluster.StartAsync(services =>
        {
            services.AddSingleton<IAppValidator>(new FakeValidator());
            services.AddSingleton<IAllocations>(_allocations);
            services.AddSingleton<IMeshPlanner, InstancesOnlyPlanner>();
        });
        await Cluster.CreateNodeAsync("node-1", "2001:db8::1");
    }

    private async Task CreateAppsWithPodsAsync(int count, string prefix = "app")
    {
        for (var i = 0; i < count; i++)
        {
            await Cluster.CreatePodAsync($"{prefix}{i}-0", $"{prefix}{i}", "node-1");
            await Cluster.CreateAppAsync($"{prefix}{i}");
        }
    }

    private Task<V1Alpha1IsolatedApp> ConvergedAsync(string app) =>
        ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync(app),
            a => a.Status?.Instances.Count == 1 && a.Metadata.Finalizers?.Contains(IsolatedAppReconciler.Finalizer) == true, $"{app} converged");

    private Task<V1Alpha1IsolatedNode> NodeHoldsAsync(int interfaces) =>
        ScenarioCluster.EventuallyAsync(() => Cluster.GetIsolatedNodeAsync("node-1"), n => n.Spec.Interfaces.Count == interfaces,
            $"node-1 holding {interfaces} interfaces");

    [Fact]
    public async Task Watches_DroppedAfterEveryTwoEvents_OperatorStillConverges()
    {
        Cluster.Api.Faults.DropWatchesAfterEvents = 2;

        await CreateAppsWithPodsAsync(6);

        for (var i = 0; i < 6; i++) await ConvergedAsync($"app{i}");
        await NodeHoldsAsync(6);
        Assert.True(Cluster.Api.Requests.Count("watch", "pods") > 2, "watches were dropped and reopened");
    }

    [Fact]
    public async Task StatusWrites_Failing500_AreRetriedUntilWritten()
    {
        Cluster.Api.Faults.FailWrites("update", "isolatedapps/status", 3);

        await CreateAppsWithPodsAsync(1);

        await ConvergedAsync("app0");
        var statusWrites = Cluster.Api.Requests.Entries.Where(r => r is { Verb: "update", Resource: "isolatedapps/status" }).Select(r => r.StatusCode).ToList();
        Assert.Equal([500, 500, 500], statusWrites.Take(3));
        Assert.Contains(200, statusWrites.Skip(3));
    }

    [Fact]
    public async Task WatchResumes_Expired_OperatorListsAgainAndConverges()
    {
        Cluster.Api.Faults.DropWatchesAfterEvents = 1;
        Cluster.Api.Faults.ExpireWatchResumes(6);
        var listsBefore = Cluster.Api.Requests.Count("list", "isolatedapps") + Cluster.Api.Requests.Count("list", "pods");

        await CreateAppsWithPodsAsync(3);

        for (var i = 0; i < 3; i++) await ConvergedAsync($"app{i}");
        var listsAfter = Cluster.Api.Requests.Count("list", "isolatedapps") + Cluster.Api.Requests.Count("list", "pods");
        Assert.True(listsAfter > listsBefore, "410 on resume made the informers list again");
    }

    [Fact]
    public async Task ApiServerRestart_WithCompactedHistory_OperatorSeesWhatChangedMeanwhile()
    {
        await CreateAppsWithPodsAsync(2);
        await ConvergedAsync("app1");
        await NodeHoldsAsync(2);

        Cluster.Api.RestartWithCompactedHistory();
        await Cluster.DeletePodAsync("app0-0");
        await CreateAppsWithPodsAsync(1, prefix: "late");

        await ConvergedAsync("late0");
        await ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync("app0"), a => a.Status?.Instances.Count == 0, "app0's deleted pod gone from its status");
        var node = await NodeHoldsAsync(2);
        Assert.Equal(["app1-0", "late0-0"], node.Spec.Interfaces.Select(i => i.Instance).Order());
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
