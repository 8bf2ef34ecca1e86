using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>RTM_*LINK requests, byte-compatible with iproute2's (netlink-reference §2.2–2.6).</summary>
public static class LinkMessages
{
    public static byte[] GetByName(string name)
    {
        InterfaceName.Validate(name);
        return Begin(RouteMessageType.GetLink, MessageFlags.Request, default)
            .U32(LinkAttribute.ExtMask, LinkAttribute.ExtMaskVfSkipStats)
            .String(LinkAttribute.IfName, name)
            .ToArray();
    }

    public static byte[] GetByIndex(int index) =>
        Begin(RouteMessageType.GetLink, MessageFlags.Request, new InterfaceInfoHeader { Index = index })
            .U32(LinkAttribute.ExtMask, LinkAttribute.ExtMaskVfSkipStats)
            .ToArray();

    public static byte[] Dump() =>
        Begin(RouteMessageType.GetLink, MessageFlags.DumpRequest, default)
            .U32(LinkAttribute.ExtMask, LinkAttribute.ExtMaskVfSkipStats)
            .ToArray();

    /// <summary>A kernel WireGuard link: only a name and IFLA_INFO_KIND; keys and peers go over generic netlink.</summary>
    public static byte[] CreateWireGuard(string name) => CreateOfKind(name, "wireguard");

    /// <summary>A link with no kind-specific data (wireguard, dummy, ...), failing with EEXIST if the name is taken.</summary>
    public static byte[] CreateOfKind(string name, string kind)
    {
        InterfaceName.Validate(name);
        var writer = Begin(RouteMessageType.NewLink, MessageFlags.CreateExclusive, default).String(LinkAttribute.IfName, name);
        // rtnetlink does not require NLA_F_NESTED; iproute2 leaves it off, and so do we to stay byte-identical.
        var info = writer.BeginNest(LinkAttribute.LinkInfo, setNestedFlag: false);
        writer.StringWithoutNul(LinkAttribute.InfoKind, kind);
        return writer.EndNest(info).ToArray();
    }

    /// <summary>
    /// A veth pair; with <paramref name="peerNetnsFd"/> the peer is created directly inside that namespace. The fd
    /// goes inside VETH_INFO_PEER: at top level it would move *this* end instead.
    /// </summary>
    public static byte[] CreateVethPair(string name, string peerName, int? peerNetnsFd)
    {
        InterfaceName.Validate(name);
        InterfaceName.Validate(peerName);
        var writer = Begin(RouteMessageType.NewLink, MessageFlags.CreateExclusive, default).String(LinkAttribute.IfName, name);
        var info = writer.BeginNest(LinkAttribute.LinkInfo, setNestedFlag: false);
        writer.StringWithoutNul(LinkAttribute.InfoKind, "veth");
        var data = writer.BeginNest(LinkAttribute.InfoData, setNestedFlag: false);
        var peer = writer.BeginNest(LinkAttribute.VethInfoPeer, setNestedFlag: false);
        writer.WriteStruct(default(InterfaceInfoHeader));
        if (peerNetnsFd is { } fd)
        {
            writer.U32(LinkAttribute.NetNsFd, (uint)fd);
        }

        writer.String(LinkAttribute.IfName, peerName);
        writer.EndNest(peer).EndNest(data).EndNest(info);
        return writer.ToArray();
    }

    /// <summary>Moves a link into the namespace of an open netns fd (close the fd only after the ACK).</summary>
    public static byte[] MoveToNetns(int index, int netnsFd) =>
        Modify(index).U32(LinkAttribute.NetNsFd, (uint)netnsFd).ToArray();

    /// <summary>change = IFF_UP: the kernel reads change 0 as "all bits", which would clear every other flag.</summary>
    public static byte[] SetUp(int index, bool up) =>
        Begin(RouteMessageType.NewLink, MessageFlags.Modify, new InterfaceInfoHeader
        {
            Index = index,
            Flags = up ? InterfaceFlags.Up : InterfaceFlags.None,
            Change = InterfaceFlags.Up,
        }).ToArray();

    /// <summary>Sent without NUL like iproute2: the kernel keeps nla_len bytes, and an empty alias removes it.</summary>
    public static byte[] SetAlias(int index, string alias)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(alias) > 255)
        {
            throw new ArgumentException($"interface alias '{alias}' is longer than 255 bytes", nameof(alias));
        }

        return Modify(index).StringWithoutNul(LinkAttribute.IfAlias, alias).ToArray();
    }

    public static byte[] SetMtu(int index, uint mtu) => Modify(index).U32(LinkAttribute.Mtu, mtu).ToArray();

    /// <summary>Deleting one end of a veth pair deletes both.</summary>
    public static byte[] Delete(int index) =>
        Begin(RouteMessageType.DelLink, MessageFlags.Modify, new InterfaceInfoHeader { Index = index }).ToArray();

    public static byte[] DeleteByName(string name)
    {
        InterfaceName.Validate(name);
        return Begin(RouteMessageType.DelLink, MessageFlags.Modify, default).String(LinkAttribute.IfName, name).ToArray();
    }

    private static MessageWriter Modify(int index) =>
        Begin(RouteMessageType.NewLink, MessageFlags.Modify, new InterfaceInfoHeader { Index = index });

    private static MessageWriter Begin(ushort type, MessageFlags flags, InterfaceInfoHeader header) =>
        new MessageWriter(type, flags).WriteStruct(header);
}
