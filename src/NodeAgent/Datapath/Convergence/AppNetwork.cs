using System.Net;
using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.Convergence;

/// <summary>
/// Everything one app instance's network consists of: its named namespace, its WireGuard link (created in the
/// host namespace so the UDP socket stays there, then moved in), optional veth egress, and its firewall.
/// </summary>
/// <param name="Owner">Stable identity of the instance (e.g. "demo/receiver"); written into link aliases so that
/// garbage collection can tell WgIsolate's objects, and whose they are, from anything else on the host.</param>
/// <param name="Netns">Name of the network namespace under /run/netns.</param>
public sealed record AppNetwork(
    string Owner,
    string Netns,
    WireGuardInterfaceSpec WireGuard,
    VethEgressSpec? Egress = null,
    string? FirewallRuleset = null)
{
    public string Alias => LinkAliases.For(Owner);
}

/// <param name="Address">The instance's address with its app's prefix length, e.g. fd00:1:2:1::1/64.</param>
/// <param name="RoutedPrefixes">Routed through the link: the cluster /48 and, when configured, the server network.</param>
public sealed record WireGuardInterfaceSpec(
    string Name,
    WireGuardDeviceSpec Device,
    InterfaceAddress Address,
    IReadOnlyList<IPNetwork> RoutedPrefixes);

/// <summary>A veth pair between the host and the app namespace: the app's optional way out besides WireGuard.</summary>
/// <param name="Nat">Masquerade the app's egress traffic on the host.</param>
public sealed record VethEgressSpec(
    string HostInterface,
    string AppInterface,
    VethAddressing Ipv6,
    VethAddressing? Ipv4,
    IReadOnlyList<IPNetwork> Routes,
    bool Nat);

/// <summary>The two ends of a veth pair in one address family; routes inside the app go via <see cref="Host"/>.</summary>
public sealed record VethAddressing(InterfaceAddress Host, InterfaceAddress App);
