using System.Net;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using WgIsolate.KubeApiDouble.Tests.Support;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class LeaseTests
{
    [Fact]
    public async Task Leases_AreServedInCoordinationV1_WithConflictsOnStaleWrites()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new() { Name = "leader" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15 },
        }, "default");

        var mine = await client.CoordinationV1.ReadNamespacedLeaseAsync("leader", "default");
        mine.Spec.HolderIdentity = "b";
        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(mine, "leader", "default");
        created.Spec.HolderIdentity = "c";
        await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict,
            () => client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "leader", "default"));

        Assert.Equal("b", (await client.CoordinationV1.ReadNamespacedLeaseAsync("leader", "default")).Spec.HolderIdentity);
    }

    [Fact]
    public async Task LeaderElector_WithALeaseLock_AcquiresLeadershipAgainstTheDouble_AndASecondCandidateWaits()
    {
        await using var api = await ApiDouble.StartAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var first = Elector(api.CreateClient(), "first");
        var second = Elector(api.CreateClient(), "second");
        var firstLeads = new TaskCompletionSource();
        var secondLeads = false;
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        second.OnStartedLeading += () => secondLeads = true;

        var firstRun = first.RunUntilLeadershipLostAsync(cancel.Token);
        await firstLeads.Task.WaitAsync(cancel.Token);
        var secondRun = second.RunUntilLeadershipLostAsync(cancel.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), cancel.Token);

        var lease = await api.CreateClient().CoordinationV1.ReadNamespacedLeaseAsync("wgisolate-operator", "default");
        Assert.Equal("first", lease.Spec.HolderIdentity);
        Assert.False(secondLeads);
        Assert.True(api.Requests.Count("update", "leases") > 0);
        await cancel.CancelAsync();
        await Task.WhenAll(firstRun, secondRun).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static LeaderElector Elector(IKubernetes client, string identity) =>
        new(new LeaderElectionConfig(new LeaseLock(client, "default", "wgisolate-operator", identity))
        {
            // Generous against a loaded machine: the first leader must not lose the lease while the test looks.
            LeaseDuration = TimeSpan.FromSeconds(15),
            RenewDeadline = TimeSpan.FromSeconds(10),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        });
}
