using WgIsolate.Core.Api;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Ingress;

namespace WgIsolate.NodeAgent.Dataplane;

/// <summary>An interface's `ingress` entries as forwarder rules, owned and placed like the app network they serve.</summary>
public static class IngressRulesMapper
{
    public static IReadOnlyList<IngressRule> Map(NodeInterfaceSpec spec, AppNetwork network) =>
        spec.Ingress.Select(entry => new IngressRule(network.Owner, network.Netns, TransportOf(entry, network.Owner), entry.HostPort, entry.Port)).ToList();

    private static IngressTransport TransportOf(IngressSpec entry, string owner) => entry.Protocol switch
    {
        IngressProtocol.Tcp => IngressTransport.Tcp,
        IngressProtocol.Udp => IngressTransport.Udp,
        _ => throw new ArgumentException($"ingress {owner}: protocol \"{entry.Protocol}\" is not TCP or UDP"),
    };
}
