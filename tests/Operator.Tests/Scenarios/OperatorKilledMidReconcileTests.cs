namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// The shipped operator (real validation, ConfigMap allocations, Core mesh) dies in the middle of its reconcile chain
/// while new pods and apps arrive: the double holds its writes from a chosen one on, the operator is stopped with them
/// in flight, and the held writes then land or are lost, as on SIGKILL. A fresh operator must renumber nothing that
/// was handed out before, converge on the new ones, and never hand anything out twice.
/// </summary>
public sealed class OperatorKilledMidReconcileTests : IAsyncLifetime
{
    private ScenarioCluster? _cluster;
    private DesiredApps? _desired;

    private ScenarioCluster Cluster => _cluster!;
    private DesiredApps Desired => _desired!;

    public async Task InitializeAsync()
    {
        _cluster = await ScenarioCluster.StartAsync(_ => { });
        _desired = await DesiredApps.SixAppsOnTwoNodesAsync(Cluster);
    }

    /// <param name="verb">With <paramref name="resource"/> and <paramref name="nth"/>: the operator write from which on
    /// the double holds all its writes; the finalizer, the allocation ConfigMap, the app status, a node spec.</param>
    /// <param name="heldWritesLand">Whether the writes in flight when it died are stored after all.</param>
    [Theory]
    [InlineData("update", "isolatedapps", 1, true)]
    [InlineData("update", "configmaps", 1, false)]
    [InlineData("update", "configmaps", 1, true)]
    [InlineData("update", "configmaps", 2, false)]
    [InlineData("update", "configmaps", 2, true)]
    [InlineData("update", "isolatedapps/status", 1, false)]
    [InlineData("patch", "isolatednodes", 1, true)]
    public async Task KilledWithWritesInFlight_FreshOperatorRenumbersNothing_AndAllocatesNothingTwice(string verb, string resource, int nth, bool heldWritesLand)
    {
        var before = (await AllocationLedger.ConvergedAsync(Cluster, Desired)).Allocated();
        var freeze = Cluster.Api.Faults.FreezeWrites(verb, resource, nth, ScenarioCluster.OperatorToken);

        // A new instance of an app that holds allocations, and two new apps, one peering with an old one.
        await Desired.AddPodAsync("app0", "app0-2", "node-1");
        await Desired.AddAppAsync("app6", ["app0"], "node-2", "node-1");
        await Desired.AddAppAsync("app7", [], "node-2");
        await freeze.Frozen.WaitAsync(TimeSpan.FromSeconds(60));
        await Cluster.StopOperatorAsync(Cluster.Operator);
        freeze.Thaw(heldWritesLand);
        await freeze.Settled.WaitAsync(TimeSpan.FromSeconds(30));
        var atDeath = await AllocationLedger.ReadAsync(Cluster);
        await Cluster.StartOperatorAsync();

        var after = await AllocationLedger.ConvergedAsync(Cluster, Desired);
        Assert.True(freeze.Held > 0);
        Assert.NotNull(atDeath.Unconverged(Desired));
        Assert.Empty(after.Changed(before));
        Assert.Empty(atDeath.Changed(before));
        Assert.Empty(after.AllocatedTwice());
        Assert.Equal(8, after.Stored.Apps.Count);
    }

    /// <summary>A dead operator's writes that arrive late, after its successor converged (a partitioned replica, a
    /// slow apiserver): they must not undo the successor's work for longer than it takes to notice.</summary>
    [Theory]
    [InlineData("update", "configmaps", 1)]
    [InlineData("update", "configmaps", 2)]
    [InlineData("patch", "isolatednodes", 1)]
    [InlineData("update", "isolatedapps/status", 1)]
    public async Task KilledWithWritesInFlight_ThatLandAfterTheSuccessorConverged_SuccessorRepairsWithoutRenumbering(string verb, string resource, int nth)
    {
        var before = (await AllocationLedger.ConvergedAsync(Cluster, Desired)).Allocated();
        var freeze = Cluster.Api.Faults.FreezeWrites(verb, resource, nth, ScenarioCluster.OperatorToken);

        await Desired.AddPodAsync("app0", "app0-2", "node-1");
        await Desired.DeletePodAsync("app2", "app2-1");
        await Desired.AddAppAsync("app6", ["app0"], "node-2", "node-1");
        await freeze.Frozen.WaitAsync(TimeSpan.FromSeconds(60));
        await Cluster.StopOperatorAsync(Cluster.Operator);
        await Cluster.StartOperatorAsync(token: "successor");
        var converged = await AllocationLedger.ConvergedAsync(Cluster, Desired);
        freeze.Thaw(commit: true);
        await freeze.Settled.WaitAsync(TimeSpan.FromSeconds(30));

        var after = await AllocationLedger.ConvergedAsync(Cluster, Desired);
        Assert.True(freeze.Held > 0);
        Assert.Empty(after.Changed(before.Where(b => !b.Key.StartsWith("demo/app2/app2-1", StringComparison.Ordinal)).ToDictionary()));
        Assert.Empty(after.Changed(converged.Allocated()));
        Assert.Empty(after.AllocatedTwice());
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
