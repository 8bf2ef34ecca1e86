using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard.Kernel;
using WgIsolate.Datapath.WireGuard.Userspace;

namespace WgIsolate.Datapath.WireGuard;

public sealed record WireGuardBackendChoice(IWireGuardBackend Backend, string Reason);

/// <summary>
/// Chooses the backend once at start: creating a probe link of kind "wireguard" in the host netns either works
/// (kernel module present: delete the probe, use it) or gives EOPNOTSUPP after the kernel tried to load the
/// module (use wireguard-go, which must then be installed).
/// </summary>
public static class WireGuardBackendDetector
{
    public static WireGuardBackendChoice Detect()
    {
        var probe = "wgprobe" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3));
        using var route = new RouteNetlink(NetlinkSocket.Open(NetlinkProtocol.Route));
        try
        {
            route.Links.CreateWireGuard(probe);
        }
        catch (KernelWireGuardUnavailableException e)
        {
            var wireGuardGo = WireGuardGo.FindOnPath()
                ?? throw new InvalidOperationException($"no WireGuard available: the kernel has none ({e.Message}) and wireguard-go is not on PATH (Debian package wireguard-go)");
            return new WireGuardBackendChoice(new UserspaceWireGuardBackend(), $"kernel has no WireGuard (probe link {probe}: EOPNOTSUPP); using {wireGuardGo}");
        }

        route.Links.DeleteIfExists(probe);
        return new WireGuardBackendChoice(new KernelWireGuardBackend(), $"kernel WireGuard module works (probe link {probe} created and deleted)");
    }
}
