using WgIsolate.Datapath.Linux;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Kernel;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>The Linux dataplane with the WireGuard backend detected once, at start, and the reason why.</summary>
internal static class HostDataplane
{
    /// <param name="appliedEndpoints">Where configured endpoints are remembered; in memory (for reading only) when null.</param>
    public static (LinuxDataplane Dataplane, string Reason) Open(HostScope scope, IAppliedEndpoints? appliedEndpoints = null)
    {
        using var hostLinks = RouteNetlink.Open();
        var (backend, reason) = WireGuardBackends.Detect(hostLinks.Links, () => new KernelWireGuardBackend());
        return (new LinuxDataplane(backend, scope.NatTable, appliedEndpoints: appliedEndpoints), reason);
    }
}
