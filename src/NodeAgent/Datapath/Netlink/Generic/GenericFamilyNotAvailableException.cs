using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Generic;

/// <summary>The kernel has no such generic netlink family (module missing; the lookup already tried to load it).</summary>
public sealed class GenericFamilyNotAvailableException(string family, string operation, ExtendedAck extendedAck)
    : NetlinkException(
        Interop.Errno.ENOENT,
        operation,
        extendedAck,
        $"{operation}: generic netlink family '{family}' not available in this kernel (ENOENT; is its module loaded?)")
{
    public string Family { get; } = family;
}
