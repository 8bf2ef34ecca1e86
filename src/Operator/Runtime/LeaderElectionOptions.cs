namespace WgIsolate.Operator.Runtime;

public sealed record LeaderElectionOptions
{
    /// <summary>Namespace of the Lease; the operator's own namespace.</summary>
    public string Namespace { get; init; } = "wgisolate-system";

    public string LeaseName { get; init; } = "wgisolate-operator";

    /// <summary>Who holds the Lease; the pod name plus a random suffix so a restarted pod is a new candidate.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
