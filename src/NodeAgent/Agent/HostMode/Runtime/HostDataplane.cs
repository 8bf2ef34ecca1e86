using WgIsolate.Datapath.Linux;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Kernel;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>The Linux dataplane with the WireGuard backend detected once, at start, and the reason why.</summary>
internal static class HostDataplane
{
    public static (LinuxDataplane Dataplane, string Reason) Open(HostScope scope)
    {
        using var hostLinks = RouteNetlink.Open();
        var (backend, reason) = WireGuardBackends.Detect(hostLinks.Links, () => new KernelWireGuardBackend());
        return (new LinuxDataplane(backend, scope.NatTable), reason);
    }
}
