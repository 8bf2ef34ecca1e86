using k8s.LeaderElection;
using Microsoft.Extensions.Logging;

namespace WgIsolate.Operator.Runtime;

/// <summary>
/// Campaigns for the Lease with the client's LeaderElector. Leadership is held once: when renewing fails the
/// process ends (<see cref="OperatorExit"/>) instead of trying to stop controllers that may be mid-write; the kubelet
/// restarts it as a fresh candidate.
/// </summary>
public sealed class LeaderElectionService(ILock leaseLock, LeaderElectionOptions options, Leadership leadership, OperatorExit exit,
    ILogger<LeaderElectionService> logger) : CriticalBackgroundService(exit)
{
    private readonly OperatorExit _exit = exit;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        elector.OnStartedLeading += () =>
        {
            logger.LogInformation("{Identity} became the leader ({Lock})", leaseLock.Identity, leaseLock.Describe());
            leadership.Acquire();
        };
        elector.OnNewLeader += leader =>
        {
            leadership.CurrentLeader = leader;
            logger.LogInformation("The leader is now {Leader}", leader);
        };
        elector.OnError += e => logger.LogWarning(e, "Leader election call failed");

        logger.LogInformation("{Identity} campaigning for {Lock}", leaseLock.Identity, leaseLock.Describe());
        await elector.RunUntilLeadershipLostAsync(stoppingToken);
        if (stoppingToken.IsCancellationRequested) return;

        leadership.Lose();
        _exit.Fail(null, $"{leaseLock.Identity} lost the lease {leaseLock.Describe()}");
    }
}
