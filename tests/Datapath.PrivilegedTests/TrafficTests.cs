using System.Net;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests;

public class TrafficTests : VethBetweenNamespaces
{
    [PrivilegedFact]
    public void Ping_AcrossVethBetweenTwoNamespaces_GetsRepliesOverIPv6AndIPv4()
    {
        A.Addresses.Ensure(VethA, InterfaceAddress.Parse("fd01::1/64"));
        B.Addresses.Ensure(VethB, InterfaceAddress.Parse("fd01::2/64"));
        A.Addresses.Ensure(VethA, InterfaceAddress.Parse("10.50.0.1/24"));
        B.Addresses.Ensure(VethB, InterfaceAddress.Parse("10.50.0.2/24"));

        var v6 = Ip.TryRun("ip", $"netns exec {NameA} ping -6 -c 2 -i 0.2 -W 2 fd01::2");
        var v4 = Ip.TryRun("ip", $"netns exec {NameA} ping -4 -c 2 -i 0.2 -W 2 10.50.0.2");

        Assert.True(v6.ExitCode == 0, v6.Output + v6.Error);
        Assert.Contains("2 received", v6.Output);
        Assert.True(v4.ExitCode == 0, v4.Output + v4.Error);
        Assert.Contains("2 received", v4.Output);
    }

    [PrivilegedFact]
    public void Ping_ThroughGatewayRoute_ReachesAddressBeyondTheVeth()
    {
        A.Addresses.Ensure(VethA, InterfaceAddress.Parse("10.50.0.1/24"));
        B.Addresses.Ensure(VethB, InterfaceAddress.Parse("10.50.0.2/24"));
        B.Addresses.Ensure(1, InterfaceAddress.Parse("10.77.0.1/32"));
        A.Routes.Ensure(new RouteSpec(IPNetwork.Parse("0.0.0.0/0"), VethA, IPAddress.Parse("10.50.0.2")));

        var ping = Ip.TryRun("ip", $"netns exec {NameA} ping -4 -c 1 -W 2 10.77.0.1");

        Assert.True(ping.ExitCode == 0, ping.Output + ping.Error);
    }

    [PrivilegedFact]
    public void Ping_WithoutRoute_IsUnreachable()
    {
        A.Addresses.Ensure(VethA, InterfaceAddress.Parse("10.50.0.1/24"));
        B.Addresses.Ensure(1, InterfaceAddress.Parse("10.77.0.1/32"));

        var ping = Ip.TryRun("ip", $"netns exec {NameA} ping -4 -c 1 -W 1 10.77.0.1");

        Assert.NotEqual(0, ping.ExitCode);
    }
}
