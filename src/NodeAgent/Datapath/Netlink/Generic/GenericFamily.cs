using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Generic;

/// <summary>Resolves a generic netlink family id on a NETLINK_GENERIC socket (ids are per netns: resolve per socket).</summary>
public static class GenericFamily
{
    /// <summary>Throws <see cref="GenericFamilyNotAvailableException"/> when the kernel lacks the family (ENOENT).</summary>
    public static ushort ResolveId(NetlinkSocket socket, string name)
    {
        var operation = $"CTRL_CMD_GETFAMILY {name}";
        IReadOnlyList<NetlinkMessage> replies;
        try
        {
            replies = socket.Request(GenericMessages.GetFamily(name), operation);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            throw new GenericFamilyNotAvailableException(name, operation, e.ExtendedAck);
        }

        if (replies.Count == 0)
        {
            throw new NetlinkProtocolException($"{operation}: the kernel acknowledged without a family reply");
        }

        return GenericMessages.ParseFamilyId(replies[0]);
    }
}
