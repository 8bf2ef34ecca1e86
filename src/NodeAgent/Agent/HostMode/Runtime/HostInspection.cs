using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Linux;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.NodeAgent.HostMode.Planning;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>Reading the host back, shared by `up` (after each pass) and `status` (any time, without the lock).</summary>
internal static class HostInspection
{
    /// <summary>Per app key, every way its isolation deviates from what was asked; empty when isolated.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Verify(LinuxDataplane dataplane, HostPlan plan) =>
        plan.Apps.ToDictionary(a => a.App.ToString(), a => IsolationCheck.Deviations(dataplane, a.Network, dataplane.ListUdpPorts));

    /// <summary>The app's WireGuard device as the backend reports it, or null when it does not exist.</summary>
    public static WireGuardDevice? ReadWireGuard(LinuxDataplane dataplane, AppNetwork app)
    {
        try
        {
            return dataplane.ReadWireGuard(app.Netns, app.WireGuard.Name);
        }
        catch (DataplaneException)
        {
            return null;
        }
    }
}
