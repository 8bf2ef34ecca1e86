using System.Net;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Route;

public class AddressAndRouteMessagesTests
{
    [Fact]
    public void AddIPv6NoDad_MatchesCapture()
    {
        Hex.AssertEqual(
            """
            40 00 00 00 14 00 05 06 00*8
            0a 40 02 00 60 00 00 00
            14 00 02 00 fd 01 00*13 01
            14 00 01 00 fd 01 00*13 01
            """,
            AddressMessages.Add(0x60, InterfaceAddress.Parse("fd01::1/64"), noDad: true, replace: false));
    }

    [Fact]
    public void AddIPv4_MatchesCapture()
    {
        Hex.AssertEqual(
            "28 00 00 00 14 00 05 06 00*8 | 02 18 00 00 60 00 00 00 | 08 00 02 00 0a 32 00 01 | 08 00 01 00 0a 32 00 01",
            AddressMessages.Add(0x60, InterfaceAddress.Parse("10.50.0.1/24"), noDad: true, replace: false));
    }

    [Fact]
    public void AddReplace_UsesCreateOrReplaceFlags()
    {
        var message = AddressMessages.Add(0x60, InterfaceAddress.Parse("10.50.0.1/24"), noDad: false, replace: true);

        Assert.Equal("05 05", Hex.Format(message.AsSpan(6, 2)));
    }

    [Fact]
    public void DeleteAddress_IsDelAddrWithLocalAndAddress()
    {
        Hex.AssertEqual(
            "28 00 00 00 15 00 05 00 00*8 | 02 18 00 00 60 00 00 00 | 08 00 02 00 0a 32 00 01 | 08 00 01 00 0a 32 00 01",
            AddressMessages.Delete(0x60, InterfaceAddress.Parse("10.50.0.1/24")));
    }

    [Fact]
    public void DumpAddresses_FiltersByFamilyAndIndexInHeader()
    {
        Hex.AssertEqual("18 00 00 00 16 00 01 03 00*8 | 0a 00 00 00 60 00 00 00", AddressMessages.Dump(AddressFamilies.Inet6, 0x60));
    }

    [Fact]
    public void AddIPv6GatewayRoute_MatchesCapture()
    {
        var route = new RouteSpec(IPNetwork.Parse("fd02::/64"), 0x60, IPAddress.Parse("fd01::2"), Protocol: RouteProtocol.Static);

        Hex.AssertEqual(
            """
            4c 00 00 00 18 00 05 06 00*8
            0a 40 00 00 fe 04 00 01 00 00 00 00
            14 00 01 00 fd 02 00*14
            14 00 05 00 fd 01 00*13 02
            08 00 04 00 60 00 00 00
            """,
            RouteMessages.Add(route, replace: false));
    }

    [Fact]
    public void AddIPv4GatewayRoute_MatchesCapture()
    {
        var route = new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), 0x60, IPAddress.Parse("10.50.0.2"), Protocol: RouteProtocol.Boot);

        Hex.AssertEqual(
            "34 00 00 00 18 00 05 06 00*8 | 02 10 00 00 fe 03 00 01 00 00 00 00 | 08 00 01 00 0a 3c 00 00 | 08 00 05 00 0a 32 00 02 | 08 00 04 00 60 00 00 00",
            RouteMessages.Add(route, replace: false));
    }

    [Fact]
    public void AddIPv4DeviceRoute_HasScopeLinkNoGatewayAndOurProtocol()
    {
        var route = new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), 0x60);

        Hex.AssertEqual(
            "2c 00 00 00 18 00 05 05 00*8 | 02 10 00 00 fe 57 fd 01 00 00 00 00 | 08 00 01 00 0a 3c 00 00 | 08 00 04 00 60 00 00 00",
            RouteMessages.Add(route, replace: true));
    }

    [Fact]
    public void AddIPv6DefaultRoute_OmitsDestinationAndCarriesMetric()
    {
        var route = new RouteSpec(IPNetwork.Parse("::/0"), 0x60, IPAddress.Parse("fd01::2"), Metric: 100);

        Hex.AssertEqual(
            """
            40 00 00 00 18 00 05 05 00*8
            0a 00 00 00 fe 57 00 01 00 00 00 00
            14 00 05 00 fd 01 00*13 02
            08 00 04 00 60 00 00 00
            08 00 06 00 64 00 00 00
            """,
            RouteMessages.Add(route, replace: true));
    }

    [Fact]
    public void AddRouteInHighTable_PutsTableIdInRtaTable()
    {
        var route = new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), 0x60, Table: 1000);

        var message = RouteMessages.Add(route, replace: true);

        Assert.Equal(0, message[16 + 4]);
        Assert.EndsWith("08 00 0f 00 e8 03 00 00", Hex.Format(message));
    }

    [Fact]
    public void DeleteRoute_UsesWildcardScopeAndTypeButKeepsProtocol()
    {
        var route = new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), 0x60);

        Hex.AssertEqual(
            "2c 00 00 00 19 00 05 00 00*8 | 02 10 00 00 fe 57 ff 00 00 00 00 00 | 08 00 01 00 0a 3c 00 00 | 08 00 04 00 60 00 00 00",
            RouteMessages.Delete(route));
    }

    [Fact]
    public void DumpRoutes_FiltersByTableAndProtocolInHeader()
    {
        Hex.AssertEqual("1c 00 00 00 1a 00 01 03 00*8 | 0a 00 00 00 fe 57 00 00 00 00 00 00", RouteMessages.Dump(AddressFamilies.Inet6, RouteTable.Main, RouteProtocol.WgIsolate));
    }

    [Fact]
    public void RouteSpec_GatewayOfOtherFamily_IsRejected()
    {
        var route = new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), 0x60, IPAddress.Parse("fd01::2"));

        Assert.Throws<ArgumentException>(() => RouteMessages.Add(route, replace: true));
    }
}
