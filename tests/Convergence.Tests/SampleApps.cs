using System.Net;
using WgIsolate.Datapath.Convergence;

using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Convergence.Tests;

/// <summary>The seed's receiver/sender pair, as app networks.</summary>
internal static class SampleApps
{
    public static readonly IPNetwork Cluster = IPNetwork.Parse("fd00:1:2::/48");

    public static AppNetwork Receiver(VethEgressSpec? egress = null, string? ruleset = null) =>
        App("receiver", "fd00:1:2:1::1/64", 51820, egress, ruleset, Peer("sender-public", "[::1]:51821", "fd00:1:2:1::2/128"));

    public static AppNetwork Sender() =>
        App("sender", "fd00:1:2:1::2/64", 51821, null, null, Peer("receiver-public", "[::1]:51820", "fd00:1:2:1::1/128"));

    public static AppNetwork App(string name, string address, int port, VethEgressSpec? egress, string? ruleset, params WireGuardPeerSpec[] peers) =>
        new(
            Owner: $"demo/{name}",
            Netns: name,
            WireGuard: new WireGuardInterfaceSpec(
                $"wg-{name}",
                new WireGuardDeviceSpec($"{name}-private", port, peers),
                InterfaceAddress.Parse(address),
                [Cluster]),
            Egress: egress,
            FirewallRuleset: ruleset);

    public static WireGuardPeerSpec Peer(string publicKey, string endpoint, params string[] allowed) =>
        new(publicKey, IPEndPoint.Parse(endpoint), allowed.Select(IPNetwork.Parse).ToList());

    public static VethEgressSpec Egress(bool ipv4 = true, bool nat = true) => new(
        HostInterface: "veth1-receiver",
        AppInterface: "veth2-receiver",
        Ipv6: new VethAddressing(InterfaceAddress.Parse("fe80::1/64"), InterfaceAddress.Parse("fe80::2/64")),
        Ipv4: ipv4 ? new VethAddressing(InterfaceAddress.Parse("172.25.1.1/30"), InterfaceAddress.Parse("172.25.1.2/30")) : null,
        Routes: ipv4 ? [IPNetwork.Parse("::/0"), IPNetwork.Parse("0.0.0.0/0")] : [IPNetwork.Parse("::/0")],
        Nat: nat);
}
