namespace WgIsolate.Operator.Hosting;

/// <summary>Bound from the "Operator" configuration section (Helm values arrive as environment variables).</summary>
public sealed record OperatorOptions
{
    public const string Section = "Operator";

    /// <summary>The operator's own namespace: Lease, allocation ConfigMap and preshared-key Secret live here.</summary>
    public string Namespace { get; init; } = "wgisolate-system";

    /// <summary>The cluster ULA /48 from the Helm value; generated once (RFC 4193) and persisted when absent.</summary>
    public string? ClusterPrefix { get; init; }

    /// <summary>Off only for a single replica in development.</summary>
    public bool LeaderElection { get; init; } = true;

    // client-go's defaults: a new leader takes over at most LeaseDuration after the old one stopped renewing.
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Concurrent app reconciles. Their allocation changes are stored together in one ConfigMap write, so
    /// more of them in flight means fewer writes of that ConfigMap (611 KiB at 10,000 instances).</summary>
    public int Workers { get; init; } = 8;

    public string AllocationConfigMap { get; init; } = "wgisolate-allocations";

    public string PresharedKeySecret { get; init; } = "wgisolate-preshared-keys";

    /// <summary>How long a deleted app waits for the agents to report its interfaces gone before it says so.</summary>
    public TimeSpan AgentCleanupTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
