namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>IFLA_* and the IFLA_INFO_* / VETH_INFO_* values nested under IFLA_LINKINFO.</summary>
public static class LinkAttribute
{
    public const ushort Address = 1;
    public const ushort IfName = 3;
    public const ushort Mtu = 4;
    public const ushort Link = 5;
    public const ushort OperState = 16;
    public const ushort LinkInfo = 18;
    public const ushort NetNsPid = 19;
    public const ushort IfAlias = 20;
    public const ushort NetNsFd = 28;
    public const ushort ExtMask = 29;
    public const ushort LinkNetNsId = 37;

    public const ushort InfoKind = 1;
    public const ushort InfoData = 2;
    public const ushort VethInfoPeer = 1;

    /// <summary>RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS, as iproute2 asks: no VF lists, no statistics blobs.</summary>
    public const uint ExtMaskVfSkipStats = 1 | 8;
}
