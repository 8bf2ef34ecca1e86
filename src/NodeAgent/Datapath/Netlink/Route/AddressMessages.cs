using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>RTM_*ADDR requests (netlink-reference §2.7).</summary>
public static class AddressMessages
{
    /// <summary>
    /// IFA_LOCAL + IFA_ADDRESS (equal: not point-to-point). NODAD makes an IPv6 address usable at once instead of
    /// "tentative" for about a second. <paramref name="replace"/> selects 0x0505 (idempotent) over 0x0605 (EEXIST).
    /// </summary>
    public static byte[] Add(int index, InterfaceAddress address, bool noDad, bool replace)
    {
        var bytes = AddressFamilies.Bytes(address.Address);
        var flags = (byte)(noDad && address.IsIPv6 ? AddressAttribute.FlagNoDad : 0);
        return Begin(RouteMessageType.NewAddress, replace ? MessageFlags.CreateOrReplace : MessageFlags.CreateExclusive, address, flags, index)
            .Attribute(AddressAttribute.Local, bytes)
            .Attribute(AddressAttribute.Address, bytes)
            .ToArray();
    }

    public static byte[] Delete(int index, InterfaceAddress address)
    {
        var bytes = AddressFamilies.Bytes(address.Address);
        return Begin(RouteMessageType.DelAddress, MessageFlags.Modify, address, 0, index)
            .Attribute(AddressAttribute.Local, bytes)
            .Attribute(AddressAttribute.Address, bytes)
            .ToArray();
    }

    /// <summary>Family 0 = both; index 0 = all links (a real filter thanks to NETLINK_GET_STRICT_CHK).</summary>
    public static byte[] Dump(byte family, int index) =>
        new MessageWriter(RouteMessageType.GetAddress, MessageFlags.DumpRequest)
            .WriteStruct(new AddressHeader(family, 0, 0, 0, index))
            .ToArray();

    private static MessageWriter Begin(ushort type, MessageFlags flags, InterfaceAddress address, byte addressFlags, int index) =>
        new MessageWriter(type, flags).WriteStruct(
            new AddressHeader(AddressFamilies.Of(address.Address), (byte)address.PrefixLength, addressFlags, 0, index));
}
