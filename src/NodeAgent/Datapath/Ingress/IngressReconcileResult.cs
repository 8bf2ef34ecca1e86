namespace WgIsolate.Datapath.Ingress;

/// <summary>Message reads like "ingress demo/receiver: host port 1234/tcp is already in use (EADDRINUSE)".</summary>
public sealed record IngressFailure(IngressRule Rule, string Message);

public sealed record IngressReconcileResult(
    IReadOnlyList<IngressRule> Started,
    IReadOnlyList<IngressRule> Stopped,
    IReadOnlyList<IngressRule> Kept,
    IReadOnlyList<IngressFailure> Failures)
{
    public bool Changed => Started.Count > 0 || Stopped.Count > 0;

    /// <summary>Owners (apps) with a failed rule this pass: report them not ready.</summary>
    public IReadOnlySet<string> FailedOwners => Failures.Select(f => f.Rule.Owner).ToHashSet(StringComparer.Ordinal);
}
