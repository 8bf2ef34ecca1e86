namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>The two flag bits that share nla_type with the type number.</summary>
public static class AttributeType
{
    public const ushort Nested = 0x8000;
    public const ushort NetByteOrder = 0x4000;
    public const ushort Mask = 0x3FFF;
}
