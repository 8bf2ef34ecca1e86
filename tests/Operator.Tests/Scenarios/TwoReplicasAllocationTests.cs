namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// Two replicas of the shipped operator (real allocations in the ConfigMap, Core mesh) with leader election against
/// the double: only the leader writes anything but the Lease; when it dies mid-reconcile the other takes over once the
/// lease runs out, renumbers nothing, and goes on allocating without handing anything out twice.
/// </summary>
public sealed class TwoReplicasAllocationTests : IAsyncLifetime
{
    // ScenarioCluster's lease for elected replicas: a takeover waits at most this long after the last renewal.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);

    private ScenarioCluster? _cluster;

    private ScenarioCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        _cluster = await ScenarioCluster.StartAsync(_ => { });
        // The cluster starts one replica without election; this test wants only elected ones.
        await Cluster.StopOperatorAsync(Cluster.Operator);
    }

    [Fact]
    public async Task OnlyTheLeaderWrites_ItDiesMidReconcile_TheOtherTakesOverWithinTheLease_RenumbersNothing_AndAllocatesOn()
    {
        var first = await Cluster.StartOperatorAsync(leaderElection: true, token: "replica-1");
        var second = await Cluster.StartOperatorAsync(leaderElection: true, token: "replica-2");
        var desired = await DesiredApps.SixAppsOnTwoNodesAsync(Cluster);
        var before = (await AllocationLedger.ConvergedAsync(Cluster, desired)).Allocated();
        var (leader, follower, leaderToken, followerToken) = await first.LeadsAsync()
            ? (first, second, "replica-1", "replica-2")
            : (second, first, "replica-2", "replica-1");
        Assert.False(await follower.LeadsAsync());
        Assert.Equal([leaderToken], EffectiveWriters());

        // The leader dies with its first allocation write for the new pods in flight; the write is lost, and so are
        // its lease renewals from then on.
        var freeze = Cluster.Api.Faults.FreezeWrites("update", "configmaps", 1, leaderToken);
        await desired.AddPodAsync("app0", "app0-2", "node-2");
        await desired.AddAppAsync("app6", ["app0"], "node-1", "node-2");
        await freeze.Frozen.WaitAsync(TimeSpan.FromSeconds(60));
        var diedAt = DateTime.UtcNow;
        await Cluster.StopOperatorAsync(leader);
        freeze.Thaw(commit: false);

        await ScenarioCluster.EventuallyAsync(async () => await follower.LeadsAsync() ? "leading" : null, _ => true, "the follower taking over",
            LeaseDuration + TimeSpan.FromSeconds(7));
        var takeover = DateTime.UtcNow - diedAt;
        var afterTakeover = await AllocationLedger.ConvergedAsync(Cluster, desired);
        Assert.Empty(afterTakeover.Changed(before));
        Assert.Empty(afterTakeover.AllocatedTwice());

        await desired.AddAppAsync("app7", ["app6"], "node-1");
        await desired.AddPodAsync("app1", "app1-2", "node-1");
        var later = await AllocationLedger.ConvergedAsync(Cluster, desired);
        Assert.Empty(later.Changed(afterTakeover.Allocated()));
        Assert.Empty(later.AllocatedTwice());
        Assert.Equal(8, later.Stored.Apps.Count);
        Assert.Equal([leaderToken, followerToken], EffectiveWriters());
        Assert.True(takeover < LeaseDuration + TimeSpan.FromSeconds(7), $"takeover took {takeover}");
    }

    /// <summary>The replicas whose writes other than the Lease's took effect, in the order they started writing; a
    /// replica that wrote again after the other had would appear twice.</summary>
    private IReadOnlyList<string?> EffectiveWriters()
    {
        var writes = Cluster.Api.Requests.Entries
            .Where(r => r.Verb is "create" or "update" or "patch" or "delete" && r.Resource != "leases" && r.StatusCode < 400)
            .Where(r => r.Token is "replica-1" or "replica-2")
            .Select(r => r.Token)
            .ToList();
        return [.. writes.Where((token, i) => i == 0 || writes[i - 1] != token)];
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
