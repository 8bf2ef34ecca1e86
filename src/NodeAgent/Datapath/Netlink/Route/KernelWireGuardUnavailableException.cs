using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>
/// Creating a link of kind wireguard gave EOPNOTSUPP: the kernel has no WireGuard module (it already tried to load
/// it). The caller falls back to userspace WireGuard.
/// </summary>
public sealed class KernelWireGuardUnavailableException(string operation, ExtendedAck extendedAck)
    : NetlinkException(
        Interop.Errno.EOPNOTSUPP,
        operation,
        extendedAck,
        $"{operation}: the kernel has no WireGuard support ({Interop.Errno.Describe(Interop.Errno.EOPNOTSUPP)}" +
        $"{(extendedAck.Message is { } m ? ": " + m : "")}); use userspace WireGuard (wireguard-go)");
