using System.Net;
using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Route;

/// <summary>Replies shaped as the kernel sends them (NUL-terminated strings, nested LINKINFO, IFA_FLAGS, RTA_TABLE).</summary>
public class ReplyParsingTests
{
    [Fact]
    public void LinkInfo_ReadsIndexNameKindFlagsMtuAndAlias()
    {
        var writer = new MessageWriter(RouteMessageType.NewLink, MessageFlags.Multi)
            .WriteStruct(new InterfaceInfoHeader(0, 0, 1, 7, InterfaceFlags.Up | InterfaceFlags.NoArp | InterfaceFlags.PointToPoint, 0))
            .String(LinkAttribute.IfName, "wg0")
            .U32(LinkAttribute.Mtu, 1420)
            .String(LinkAttribute.IfAlias, "wgisolate:demo/app");
        var info = writer.BeginNest(LinkAttribute.LinkInfo, setNestedFlag: true);
        writer.String(LinkAttribute.InfoKind, "wireguard");
        writer.EndNest(info);

        var link = LinkInfo.Parse(Single(writer.ToArray()));

        Assert.Equal(new LinkInfo(7, "wg0", "wireguard", InterfaceFlags.Up | InterfaceFlags.NoArp | InterfaceFlags.PointToPoint, 1420, "wgisolate:demo/app"), link);
        Assert.True(link.IsUp);
    }

    [Fact]
    public void LinkInfo_WithoutLinkInfoOrAlias_HasNoKindAndNoAlias()
    {
        var bytes = new MessageWriter(RouteMessageType.NewLink, MessageFlags.None)
            .WriteStruct(new InterfaceInfoHeader { Index = 1, Flags = InterfaceFlags.Loopback })
            .String(LinkAttribute.IfName, "lo")
            .ToArray();

        var link = LinkInfo.Parse(Single(bytes));

        Assert.Null(link.Kind);
        Assert.Null(link.Alias);
        Assert.False(link.IsUp);
    }

    [Fact]
    public void LinkInfo_FromOtherMessageType_Throws()
    {
        var bytes = new MessageWriter(RouteMessageType.NewAddress, MessageFlags.None).WriteStruct(default(AddressHeader)).ToArray();

        Assert.Throws<NetlinkProtocolException>(() => LinkInfo.Parse(Single(bytes)));
    }

    [Fact]
    public void AddressInfo_IPv6WithIfaFlags_UsesTheWideFlags()
    {
        var bytes = new MessageWriter(RouteMessageType.NewAddress, MessageFlags.Multi)
            .WriteStruct(new AddressHeader(AddressFamilies.Inet6, 64, 0x40, 0, 5))
            .Attribute(AddressAttribute.Address, IPAddress.Parse("fd01::1").GetAddressBytes())
            .U32(AddressAttribute.Flags, AddressAttribute.FlagNoDad | AddressAttribute.FlagPermanent)
            .ToArray();

        var address = AddressInfo.Parse(Single(bytes));

        Assert.Equal(5, address.Index);
        Assert.Equal("fd01::1/64", address.Address.ToString());
        Assert.False(address.IsTentative);
    }

    [Fact]
    public void AddressInfo_IPv4PointToPoint_PrefersLocalOverPeerAddress()
    {
        var bytes = new MessageWriter(RouteMessageType.NewAddress, MessageFlags.Multi)
            .WriteStruct(new AddressHeader(AddressFamilies.Inet, 32, 0, 0, 5))
            .Attribute(AddressAttribute.Address, IPAddress.Parse("10.0.0.2").GetAddressBytes())
            .Attribute(AddressAttribute.Local, IPAddress.Parse("10.0.0.1").GetAddressBytes())
            .String(AddressAttribute.Label, "wg0")
            .ToArray();

        var address = AddressInfo.Parse(Single(bytes));

        Assert.Equal("10.0.0.1/32", address.Address.ToString());
        Assert.Equal("wg0", address.Label);
    }

    [Fact]
    public void RouteInfo_DefaultRouteWithoutDst_IsSlashZeroAndTableComesFromRtaTable()
    {
        var bytes = new MessageWriter(RouteMessageType.NewRoute, MessageFlags.Multi)
            .WriteStruct(new RouteHeader(AddressFamilies.Inet6, 0, 0, 0, 0, RouteProtocol.WgIsolate, 0, 1, 0))
            .U32(RouteAttribute.Table, 1000)
            .Attribute(RouteAttribute.Gateway, IPAddress.Parse("fd01::2").GetAddressBytes())
            .U32(RouteAttribute.OutputInterface, 5)
            .U32(RouteAttribute.Priority, 1024)
            .ToArray();

        var route = RouteInfo.Parse(Single(bytes));

        Assert.Equal("::/0", route.Destination.ToString());
        Assert.Equal(1000u, route.Table);
        Assert.Equal(IPAddress.Parse("fd01::2"), route.Gateway);
        Assert.Equal(1024u, route.Metric);
        Assert.True(route.Matches(new RouteSpec(IPNetwork.Parse("::/0"), 5, IPAddress.Parse("fd01::2"), Table: 1000)));
        Assert.False(route.Matches(new RouteSpec(IPNetwork.Parse("::/0"), 5, IPAddress.Parse("fd01::3"), Table: 1000)));
        Assert.False(route.Matches(new RouteSpec(IPNetwork.Parse("::/0"), 5, IPAddress.Parse("fd01::2"), Table: 1000, Metric: 100)));
    }

    private static NetlinkMessage Single(byte[] bytes) => Assert.Single(Datagram.Split(bytes));
}
