using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Generic;

/// <summary>Builders for generic netlink: any family's message start, and the controller's family lookup.</summary>
public static class GenericMessages
{
    public const ushort ControllerFamilyId = 16;
    public const byte ControllerGetFamily = 3;
    public const ushort ControllerAttributeFamilyId = 1;
    public const ushort ControllerAttributeFamilyName = 2;

    /// <summary>nlmsghdr (type = family id) + genlmsghdr; attributes follow.</summary>
    public static MessageWriter Begin(ushort familyId, byte command, byte version, MessageFlags flags) =>
        new MessageWriter(familyId, flags).WriteStruct(new GenericHeader(command, version));

    /// <summary>CTRL_CMD_GETFAMILY by name (captured from `wg`: flags REQUEST|ACK, version 1, NUL-terminated name).</summary>
    public static byte[] GetFamily(string name) =>
        Begin(ControllerFamilyId, ControllerGetFamily, 1, MessageFlags.Modify)
            .String(ControllerAttributeFamilyName, name)
            .ToArray();

    public static ushort ParseFamilyId(NetlinkMessage reply)
    {
        foreach (var attribute in reply.Attributes(GenericHeader.Size))
        {
            if (attribute.Type == ControllerAttributeFamilyId)
            {
                return attribute.U16();
            }
        }

        throw new NetlinkProtocolException("CTRL_CMD_NEWFAMILY reply carries no CTRL_ATTR_FAMILY_ID");
    }
}
