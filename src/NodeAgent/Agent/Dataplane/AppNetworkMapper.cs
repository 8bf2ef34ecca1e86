using System.Net;
using WgIsolate.Core.Addressing;
using WgIsolate.Core.Api;
using WgIsolate.Core.Naming;
using WgIsolate.Core.Validation;
using WgIsolate.Datapath.Convergence;

using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.NodeAgent.Dataplane;

/// <summary>
/// Turns one interface of a node's desired state (the operator's IsolatedNode.spec, or host mode's own plan)
/// into the app network the converger realises, adding what only the node knows: the private key and the
/// preshared keys. Shared by host mode and the Kubernetes agent so both realise the same thing.
/// </summary>
public static class AppNetworkMapper
{
    // Link-local addresses on the veth pair: every pair can use the same two, since each pair is its own link,
    // and they never leak into routing outside it. The app's own ULA address stays its source address.
    private static readonly InterfaceAddress VethHostIpv6 = InterfaceAddress.Parse("fe80::1/64");
    private static readonly InterfaceAddress VethAppIpv6 = InterfaceAddress.Parse("fe80::2/64");

    /// <param name="ownerScope">Prefixed to the owner ("ns/app[/instance]") so that several agents on one
    /// machine (host mode with different state directories) never collect each other's apps.</param>
    public static AppNetwork Map(NodeInterfaceSpec spec, IPNetwork clusterPrefix, string privateKey, Func<SecretKeyReference, string> presharedKey, string ownerScope = "")
    {
        var owner = ownerScope + $"{spec.App.Namespace}/{spec.App.Name}" + (spec.Instance == spec.App.Name ? "" : $"/{spec.Instance}");
        var routed = new List<IPNetwork> { clusterPrefix };
        if (spec.Egress?.ServerNetwork is { } server)
        {
            routed.Add(IPNetwork.Parse(server));
        }

        var peers = spec.Peers.Select(p => new WireGuardPeerSpec(
            p.PublicKey,
            p.Endpoint is null ? null : IPEndPoint.Parse(p.Endpoint),
            p.AllowedIPs.Select(IPNetwork.Parse).ToList(),
            p.PresharedKeyRef is null ? null : presharedKey(p.PresharedKeyRef),
            p.PersistentKeepalive)).ToList();

        return new AppNetwork(
            owner,
            NetnsName(spec.Netns),
            new WireGuardInterfaceSpec(spec.InterfaceName, new WireGuardDeviceSpec(privateKey, spec.ListenPort, peers), InterfaceAddress.Parse(spec.Address), routed),
            spec.Egress is { Veth: true } egress ? Egress(spec, egress) : null,
            spec.Firewall?.Nftables);
    }

    private static VethEgressSpec Egress(NodeInterfaceSpec spec, EgressSpec egress)
    {
        VethAddressing? ipv4 = null;
        if (egress.Ipv4)
        {
            var (host, app, length) = EgressIpv4.For(spec.AppId);
            ipv4 = new VethAddressing(new InterfaceAddress(host, length), new InterfaceAddress(app, length));
        }

        var routes = egress.Routes.Select(r => r switch
        {
            IsolatedAppValidator.DefaultRoute => IPNetwork.Parse("::/0"),
            IsolatedAppValidator.DefaultRoute4 => IPNetwork.Parse("0.0.0.0/0"),
            _ => IPNetwork.Parse(r),
        }).ToList();
        var name = spec.Instance;
        return new VethEgressSpec(InterfaceNames.VethHost(name), InterfaceNames.VethApp(name), new VethAddressing(VethHostIpv6, VethAppIpv6), ipv4, routes, egress.Nat);
    }

    /// <summary>The spec carries the path (/run/netns/NAME); the converger works with names.</summary>
    private static string NetnsName(string netns) => netns.StartsWith("/run/netns/", StringComparison.Ordinal) ? netns["/run/netns/".Length..] : netns;
}
