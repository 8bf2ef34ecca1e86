using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard.Userspace;

namespace WgIsolate.Datapath.WireGuard;

/// <summary>
/// Picks the backend once at start: creating a probe `wireguard` link tells whether the kernel has the module
/// (it autoloads it if it can). EOPNOTSUPP means no: wireguard-go carries the devices instead.
/// </summary>
public static class WireGuardBackends
{
    public static (IWireGuardBackend Backend, string Reason) Detect(LinkClient hostLinks, Func<IWireGuardBackend> kernel)
    {
        var probe = $"wgi-probe{Environment.ProcessId % 100000}";
        try
        {
            hostLinks.CreateWireGuard(probe);
            hostLinks.DeleteIfExists(probe);
            return (kernel(), "the kernel created a wireguard link");
        }
        catch (KernelWireGuardUnavailableException ex)
        {
            if (WireGuardGo.FindOnPath() is null)
            {
                throw new UapiException(probe, $"no WireGuard available: {ex.Message}, and wireguard-go is not installed (Debian package wireguard-go)");
            }

            return (new UserspaceWireGuard(), $"the kernel has no WireGuard ({ex.Message})");
        }
    }
}
