using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink;

/// <summary>
/// The kernel refused a netlink request: errno plus its extended-ack explanation, e.g.
/// "RTM_NEWLINK wg0 (kind wireguard): Operation not supported (EOPNOTSUPP): Unknown device type".
/// </summary>
public class NetlinkException : ErrnoException
{
    public NetlinkException(int errno, string operation, ExtendedAck extendedAck)
        : base(errno, operation, Format(errno, operation, extendedAck))
    {
        ExtendedAck = extendedAck;
    }

    protected NetlinkException(int errno, string operation, ExtendedAck extendedAck, string message)
        : base(errno, operation, message)
    {
        ExtendedAck = extendedAck;
    }

    public ExtendedAck ExtendedAck { get; }

    /// <summary>The kernel's own words (NLMSGERR_ATTR_MSG), when it gave any.</summary>
    public string? KernelMessage => ExtendedAck.Message;

    private static string Format(int errno, string operation, ExtendedAck ack)
    {
        var text = $"{operation}: {Interop.Errno.Describe(errno)}";
        if (ack.Message is { Length: > 0 } message)
        {
            text += $": {message}";
        }

        if (ack.AttributeOffset is { } offset)
        {
            text += $" (attribute at byte {offset})";
        }

        return text;
    }
}
