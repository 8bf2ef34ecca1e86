using System.Net;
using System.Text.Json;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests;

public class RouteTests : VethBetweenNamespaces
{
    public RouteTests()
    {
        A.Addresses.Add(VethA, InterfaceAddress.Parse("fd01::1/64"));
        A.Addresses.Add(VethA, InterfaceAddress.Parse("10.50.0.1/24"));
    }

    [PrivilegedFact]
    public void DeviceRoutes_AreCreatedWithOurProtocolAndIPv4ScopeLink()
    {
        Assert.True(A.Routes.Ensure(new RouteSpec(IPNetwork.Parse("fd02::/64"), VethA)));
        Assert.True(A.Routes.Ensure(new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), VethA)));

        var v4 = Assert.Single(A.Routes.List(AddressFamilies.Inet, protocol: RouteProtocol.WgIsolate));
        Assert.Equal(RouteScope.Link, v4.Scope);
        Assert.Null(v4.Gateway);
        var v6 = Assert.Single(A.Routes.List(AddressFamilies.Inet6, protocol: RouteProtocol.WgIsolate));
        Assert.Equal("fd02::/64", v6.Destination.ToString());
        var json = Ip.Json(NameA, "-4 route show proto 87")[0];
        Assert.Equal("10.60.0.0/16", json.GetProperty("dst").GetString());
        Assert.Equal("va0", json.GetProperty("dev").GetString());
        Assert.Equal("link", json.GetProperty("scope").GetString());
    }

    [PrivilegedFact]
    public void GatewayAndDefaultRoutes_MatchIpRouteShow()
    {
        A.Routes.Ensure(new RouteSpec(IPNetwork.Parse("fd02::/64"), VethA, IPAddress.Parse("fd01::2")));
        A.Routes.Ensure(new RouteSpec(IPNetwork.Parse("::/0"), VethA, IPAddress.Parse("fd01::2")));
        A.Routes.Ensure(new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), VethA, IPAddress.Parse("10.50.0.2")));
        A.Routes.Ensure(new RouteSpec(IPNetwork.Parse("0.0.0.0/0"), VethA, IPAddress.Parse("10.50.0.2")));

        foreach (var (family, flag) in new[] { (AddressFamilies.Inet, "-4"), (AddressFamilies.Inet6, "-6") })
        {
            var ours = A.Routes.List(family, protocol: RouteProtocol.WgIsolate)
                .Select(r => $"{(r.Destination.PrefixLength == 0 ? "default" : r.Destination.ToString())} via {r.Gateway}").Order();
            var theirs = Ip.Json(NameA, $"{flag} route show proto 87").EnumerateArray()
                .Select(r => $"{r.GetProperty("dst").GetString()} via {r.GetProperty("gateway").GetString()}").Order();
            Assert.Equal(theirs, ours);
            Assert.Equal(2, ours.Count());
        }
    }

    [PrivilegedFact]
    public void List_BothFamiliesAnyProtocol_MatchesIpRouteShowOfBothFamilies()
    {
        A.Routes.Ensure(new RouteSpec(IPNetwork.Parse("fd02::/64"), VethA));
        A.Routes.Ensure(new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), VethA));

        // The fe80::/64 route appears asynchronously once the link-local address is configured after "up", so it
        // is left out of the comparison.
        var theirs = new[] { "-4", "-6" }
            .SelectMany(flag => Ip.Json(NameA, $"{flag} route show table main").EnumerateArray())
            .Select(r => r.GetProperty("dst").GetString()!)
            .Select(dst => dst.Contains('/') ? dst : dst + (dst.Contains(':') ? "/128" : "/32"))
            .Where(dst => dst != "fe80::/64")
            .Order()
            .ToList();
        var ours = A.Routes.List(0).Select(r => r.Destination.ToString()).Where(dst => dst != "fe80::/64").Order().ToList();
        Assert.Equal(theirs, ours);
        Assert.Contains("10.60.0.0/16", ours);
        Assert.Contains("fd02::/64", ours);
    }

    [PrivilegedFact]
    public void Ensure_IsIdempotentAndReplacesAChangedGateway()
    {
        var first = new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), VethA, IPAddress.Parse("10.50.0.2"));
        var changed = first with { Gateway = IPAddress.Parse("10.50.0.3") };

        Assert.True(A.Routes.Ensure(first));
        Assert.False(A.Routes.Ensure(first));
        Assert.True(A.Routes.Ensure(changed));

        var route = Assert.Single(A.Routes.List(AddressFamilies.Inet, protocol: RouteProtocol.WgIsolate));
        Assert.Equal(IPAddress.Parse("10.50.0.3"), route.Gateway);
    }

    [PrivilegedFact]
    public void DeleteIfExists_RemovesOnlyOurRouteThenReportsNothingToDo()
    {
        var v4 = new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), VethA);
        var v6 = new RouteSpec(IPNetwork.Parse("fd02::/64"), VethA);
        A.Routes.Ensure(v4);
        A.Routes.Ensure(v6);

        Assert.True(A.Routes.DeleteIfExists(v4));
        Assert.True(A.Routes.DeleteIfExists(v6));

        Assert.False(A.Routes.DeleteIfExists(v4));
        Assert.False(A.Routes.DeleteIfExists(v6));
        Assert.Empty(A.Routes.List(0, protocol: RouteProtocol.WgIsolate));
        // The kernel's own prefix route for the address is untouched.
        Assert.Contains(A.Routes.List(AddressFamilies.Inet), r => r.Destination.ToString() == "10.50.0.0/24" && r.Protocol == RouteProtocol.Kernel);
    }

    [PrivilegedFact]
    public void DeleteIfExists_RouteOfAnotherProtocol_IsLeftAlone()
    {
        Ip.Run("ip", $"-n {NameA} route add 10.70.0.0/16 dev va0 proto static");

        Assert.False(A.Routes.DeleteIfExists(new RouteSpec(IPNetwork.Parse("10.70.0.0/16"), VethA)));

        Assert.Equal(JsonValueKind.Object, Ip.Json(NameA, "route show 10.70.0.0/16")[0].ValueKind);
    }
}
