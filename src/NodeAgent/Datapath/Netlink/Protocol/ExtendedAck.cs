namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>The kernel's explanation of an error (NETLINK_EXT_ACK): a message and the offset of the bad attribute.</summary>
public sealed record ExtendedAck(string? Message, uint? AttributeOffset, ushort? MissingAttributeType)
{
    public static readonly ExtendedAck None = new(null, null, null);

    private const ushort Msg = 1;
    private const ushort Offs = 2;
    private const ushort MissType = 5;

    public static ExtendedAck Parse(ReadOnlySpan<byte> tlvs)
    {
        string? message = null;
        uint? offset = null;
        ushort? missingType = null;
        foreach (var tlv in new AttributeReader(tlvs))
        {
            switch (tlv.Type)
            {
                case Msg:
                    message = tlv.String();
                    break;
                case Offs:
                    offset = tlv.U32();
                    break;
                case MissType:
                    missingType = (ushort)tlv.U32();
                    break;
            }
        }

        return new ExtendedAck(message, offset, missingType);
    }
}
