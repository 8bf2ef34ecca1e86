using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>
/// NLMSG_ERROR (Errno 0 = ACK) or the error of an NLMSG_DONE. Errno is positive here; the wire carries -errno.
/// </summary>
public sealed record ErrorMessage(int Errno, NetlinkHeader? Echoed, ExtendedAck ExtendedAck)
{
    public bool IsAck => Errno == 0;

    /// <summary>
    /// Payload: s32 error, the echoed request (only its header when CAPPED), then TLVs when ACK_TLVS is set.
    /// mdlayher/netlink ignores CAPPED when locating the TLVs; the kernel does not.
    /// </summary>
    public static ErrorMessage ParseError(NetlinkMessage message)
    {
        var payload = message.Payload.Span;
        if (payload.Length < 4 + NetlinkHeader.Size)
        {
            throw new NetlinkProtocolException($"NLMSG_ERROR has {payload.Length} payload bytes, needs {4 + NetlinkHeader.Size}");
        }

        var errno = -MemoryMarshal.Read<int>(payload);
        var echoed = NetlinkHeader.Read(payload[4..]);
        var ack = ExtendedAck.None;
        if ((message.Header.Flags & MessageFlags.AckTlvs) != 0)
        {
            var echoedSize = (message.Header.Flags & MessageFlags.Capped) != 0
                ? NetlinkHeader.Size
                : Alignment.Align4((int)echoed.Length);
            var tlvStart = 4 + echoedSize;
            if (tlvStart > payload.Length)
            {
                throw new NetlinkProtocolException($"NLMSG_ERROR TLVs start at {tlvStart}, past its {payload.Length} bytes");
            }

            ack = ExtendedAck.Parse(payload[tlvStart..]);
        }

        return new ErrorMessage(errno, echoed, ack);
    }

    /// <summary>NLMSG_DONE: s32 error (dumps such as WireGuard's report errors only here), then TLVs if ACK_TLVS.</summary>
    public static ErrorMessage ParseDone(NetlinkMessage message)
    {
        var payload = message.Payload.Span;
        if (payload.Length < 4)
        {
            return new ErrorMessage(0, null, ExtendedAck.None);
        }

        var errno = -MemoryMarshal.Read<int>(payload);
        var ack = (message.Header.Flags & MessageFlags.AckTlvs) != 0 ? ExtendedAck.Parse(payload[4..]) : ExtendedAck.None;
        return new ErrorMessage(errno, null, ack);
    }
}
