namespace WgIsolate.Datapath.Ingress;

public enum IngressTransport
{
    Tcp,
    Udp,
}

/// <summary>
/// One forwarder: host port HostPort (TCP or UDP, both address families) to [::1]:TargetPort inside the named network
/// namespace Netns. Owner names the app in messages ("demo/receiver"). Value equality: a rule that differs in any
/// field is a different forwarder.
/// </summary>
public sealed record IngressRule(string Owner, string Netns, IngressTransport Transport, int HostPort, int TargetPort)
{
    public string TransportName => Transport == IngressTransport.Tcp ? "tcp" : "udp";

    public override string ToString() => $"ingress {Owner}: host port {HostPort}/{TransportName} -> [::1]:{TargetPort} in netns {Netns}";
}
