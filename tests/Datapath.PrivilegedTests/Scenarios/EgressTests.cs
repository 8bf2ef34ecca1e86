using System.Net;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.Datapath.PrivilegedTests.Scenarios;

/// <summary>
/// Egress through the veth, proven with traffic. A namespace of the test plays the host, and another one the
/// outside world behind it (a veth between the two, documentation addresses), so forwarding and NAT are switched
/// on there and never on the machine running the tests.
/// </summary>
public class EgressTests : ScenarioTest
{
    private static readonly IPAddress OutsideV4 = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress OutsideV6 = IPAddress.Parse("2001:db8:7::2");
    private static readonly IPAddress HostTowardsOutsideV4 = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress HostTowardsOutsideV6 = IPAddress.Parse("2001:db8:7::1");

    private readonly string outside;

    public EgressTests()
        : base(ownHost: true)
    {
        outside = CreateNamespace("x");
        using var hostNetns = NamedNetworkNamespaces.Open(HostNetns!);
        using var outsideNetns = NamedNetworkNamespaces.Open(outside);
        foreach (var netns in new[] { hostNetns, outsideNetns })
        {
            Sysctl.Write(netns, "/proc/sys/net/ipv6/conf/default/accept_dad", "0");
        }

        using var host = RouteNetlink.OpenIn(hostNetns);
        using var world = RouteNetlink.OpenIn(outsideNetns);
        host.Links.CreateVethPair("out0", "in0", outsideNetns);
        foreach (var (side, link, v4, v6) in new[] { (host, "out0", HostTowardsOutsideV4, HostTowardsOutsideV6), (world, "in0", OutsideV4, OutsideV6) })
        {
            var index = side.Links.Get(link).Index;
            side.Addresses.Ensure(index, new InterfaceAddress(v4, 24));
            side.Addresses.Ensure(index, new InterfaceAddress(v6, 64));
            side.Links.EnsureUp(link);
            side.Links.EnsureUp("lo");
        }
    }

    private AppNetwork EgressApp(string role, int subnet, bool nat) => App(role, 1, subnet, WireGuardKeys.GeneratePrivateKey(), [],
        egress: new VethEgressSpec(
            $"v{Name(role)}",
            $"e{Name(role)}",
            new VethAddressing(InterfaceAddress.Parse("fe80::1/64"), InterfaceAddress.Parse("fe80::2/64")),
            new VethAddressing(InterfaceAddress.Parse($"10.{subnet}.0.1/30"), InterfaceAddress.Parse($"10.{subnet}.0.2/30")),
            [IPNetwork.Parse("::/0"), IPNetwork.Parse("0.0.0.0/0")],
            nat));

    [PrivilegedFact]
    public void AppWithVethIpv4AndNat_ReachesAListenerOutsideOverIpv4AndIpv6_MasqueradedAsTheHost()
    {
        var app = EgressApp("a", 1, nat: true);
        ConvergeAndAssert(app);

        var overV4 = TcpExchange(app.Netns, outside, OutsideV4, 7001, "out-v4");
        var overV6 = TcpExchange(app.Netns, outside, OutsideV6, 7002, "out-v6");

        Assert.Equal("out-v4", overV4.Received);
        Assert.Equal("out-v6", overV6.Received);
        // The outside world has no route to the app's addresses: it only ever sees the host's.
        Assert.Contains($"Connection received on {HostTowardsOutsideV4} ", overV4.ListenerLog);
        Assert.Contains($"Connection received on {HostTowardsOutsideV6} ", overV6.ListenerLog);
        Assert.Equal(["e" + Name("a"), "lo", app.WireGuard.Name], Dataplane.ListLinks(app.Netns).Select(l => l.Name).Order(StringComparer.Ordinal));
    }

    [PrivilegedFact]
    public void AppWithVethButWithoutNat_GetsNoAnswerFromOutside_BecauseTheOutsideCannotRouteBack()
    {
        var app = EgressApp("a", 1, nat: false);
        ConvergeAndAssert(app);

        Assert.Equal("", TcpMessage(app.Netns, outside, OutsideV4, 7003, "unanswered"));
        Assert.Empty(Dataplane.ReadHostNat());
    }

    [PrivilegedFact]
    public void AppWithoutEgress_NextToOneWithEgress_CannotReachTheOutsideOrTheHost()
    {
        var withEgress = EgressApp("a", 1, nat: true);
        var without = App("b", 2, 1, WireGuardKeys.GeneratePrivateKey(), []);
        ConvergeAndAssert(withEgress, without);

        Assert.True(Ping(withEgress.Netns, OutsideV4), "the egress app must get out");
        foreach (var target in new[] { OutsideV4, OutsideV6, HostTowardsOutsideV4, HostTowardsOutsideV6 })
        {
            Assert.False(Ping(without.Netns, target, count: 1), $"an app without egress reached {target}");
        }

        Assert.Equal(["lo", without.WireGuard.Name], Dataplane.ListLinks(without.Netns).Select(l => l.Name).Order(StringComparer.Ordinal));
    }

    [PrivilegedFact]
    public void RemovingTheEgressApp_RemovesItsVethHostRouteAndNatAndLeavesTheHostAsItWas()
    {
        var hostLinksBefore = Dataplane.ListLinks(null).Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
        var app = EgressApp("a", 1, nat: true);
        ConvergeAndAssert(app);
        Assert.NotEmpty(Dataplane.ReadHostNat());

        var report = ConvergeAndAssert();

        Assert.Contains($"namespace {app.Netns} of {app.Owner}", report.Removed);
        Assert.Equal(hostLinksBefore, Dataplane.ListLinks(null).Select(l => l.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Dataplane.ListRoutes(null), r => r.Origin == RouteOrigin.WgIsolate);
        Assert.Empty(Dataplane.ReadHostNat());
    }
}
