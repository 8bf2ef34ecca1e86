using k8s.LeaderElection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Tests.Runtime;

/// <summary>The client's LeaderElector reads the real clock, so these use short real durations.</summary>
public sealed class LeaderElectionServiceTests
{
    private static LeaderElectionOptions Options(string identity) => new()
    {
        Identity = identity,
        // Short enough for a test, long enough that a busy 2-core machine renews in time.
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    private sealed record Replica(LeaderElectionService Service, Leadership Leadership, OperatorExit Exit, StubLifetime Lifetime);

    private static Replica Candidate(InMemoryLease lease, string identity)
    {
        var lifetime = new StubLifetime();
        var exit = new OperatorExit(lifetime, NullLogger<OperatorExit>.Instance);
        var leadership = new Leadership();
        var service = new LeaderElectionService(lease.For(identity), Options(identity), leadership, exit, NullLogger<LeaderElectionService>.Instance);
        return new Replica(service, leadership, exit, lifetime);
    }

    [Fact]
    public async Task TwoReplicas_ExactlyOneLeads()
    {
        var lease = new InMemoryLease();
        var first = Candidate(lease, "replica-1");
        var second = Candidate(lease, "replica-2");

        await first.Service.StartAsync(CancellationToken.None);
        await second.Service.StartAsync(CancellationToken.None);
        await Task.WhenAny(first.Leadership.Acquired, second.Leadership.Acquired).WaitAsync(TimeSpan.FromSeconds(10));
        for (var sample = 0; sample < 100; sample++)
        {
            Assert.False(first.Leadership.IsLeader && second.Leadership.IsLeader, "both replicas lead at once");
            await Task.Delay(20);
        }

        Assert.True(first.Leadership.IsLeader ^ second.Leadership.IsLeader);
        Assert.Equal(first.Leadership.IsLeader ? "replica-1" : "replica-2", lease.Holder);
        await first.Service.StopAsync(CancellationToken.None);
        await second.Service.StopAsync(CancellationToken.None);
        Assert.Equal(0, first.Exit.Code);
        Assert.Equal(0, second.Exit.Code);
    }

    [Fact]
    public async Task LeaderThatCannotRenew_StopsTheProcessWithNonZeroExitAndTheOtherTakesOver()
    {
        var lease = new InMemoryLease();
        var first = Candidate(lease, "replica-1");
        await first.Service.StartAsync(CancellationToken.None);
        await first.Leadership.Acquired.WaitAsync(TimeSpan.FromSeconds(10));
        var second = Candidate(lease, "replica-2");
        await second.Service.StartAsync(CancellationToken.None);

        lease.RejectUpdatesFrom = "replica-1";

        await first.Lifetime.Stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, first.Exit.Code);
        Assert.False(first.Leadership.IsLeader);
        await second.Leadership.Acquired.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("replica-2", lease.Holder);
        await second.Service.StopAsync(CancellationToken.None);
    }

    private sealed class InMemoryLease
    {
        private readonly Lock _lock = new();
        private LeaderElectionRecord _record = new();

        public string? RejectUpdatesFrom { get; set; }
        public string? Holder { get { lock (_lock) return _record.HolderIdentity; } }

        public ILock For(string identity) => new Handle(this, identity);

        private sealed class Handle(InMemoryLease lease, string identity) : ILock
        {
            public string Identity => identity;

            public string Describe() => "memory/lease";

            public Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
            {
                lock (lease._lock) return Task.FromResult(Copy(lease._record));
            }

            public Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
            {
                lock (lease._lock)
                {
                    if (lease._record.HolderIdentity is not null) return Task.FromResult(false);
                    lease._record = Copy(record);
                    return Task.FromResult(true);
                }
            }

            public Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
            {
                lock (lease._lock)
                {
                    if (lease.RejectUpdatesFrom == identity) return Task.FromResult(false);
                    lease._record = Copy(record);
                    return Task.FromResult(true);
                }
            }

            private static LeaderElectionRecord Copy(LeaderElectionRecord r) => new()
            {
                HolderIdentity = r.HolderIdentity,
                LeaseDurationSeconds = r.LeaseDurationSeconds,
                AcquireTime = r.AcquireTime,
                RenewTime = r.RenewTime,
                LeaderTransitions = r.LeaderTransitions,
            };
        }
    }
}

internal sealed class StubLifetime : IHostApplicationLifetime
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StubLifetime() => _stopping.Token.Register(() => _stopped.TrySetResult());

    public Task Stopping => _stopped.Task;
    public CancellationToken ApplicationStarted => CancellationToken.None;
    public CancellationToken ApplicationStopping => _stopping.Token;
    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication() => _stopping.Cancel();
}
