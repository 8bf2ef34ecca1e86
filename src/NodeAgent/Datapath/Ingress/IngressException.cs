namespace WgIsolate.Datapath.Ingress;

/// <summary>A forwarder that could not start, e.g. "ingress demo/receiver: host port 1234/tcp is already in use (EADDRINUSE)".</summary>
public sealed class IngressException(IngressRule rule, string problem) : Exception($"ingress {rule.Owner}: {problem}")
{
    public IngressRule Rule { get; } = rule;
}
