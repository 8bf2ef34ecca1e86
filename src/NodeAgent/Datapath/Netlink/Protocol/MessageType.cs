namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>Control message types; family types start at 16.</summary>
public static class MessageType
{
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;
    public const ushort MinFamilyType = 16;
}
