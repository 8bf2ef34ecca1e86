using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.WireGuard.Userspace;

/// <summary>WireGuard in wireguard-go, for kernels without the module. The UAPI socket is a file, so where the
/// TUN lives does not matter for configuration.</summary>
public sealed class UserspaceWireGuard(UapiClient uapi, WireGuardGo launcher) : IWireGuardBackend
{
    public UserspaceWireGuard()
        : this(new UapiClient(), new WireGuardGo(new UapiClient()))
    {
    }

    public string Name => "userspace (wireguard-go)";

    /// <summary>A device whose wireguard-go still answers and whose TUN is in the host is adopted: that is what
    /// a restarted agent finds. The launcher starts wireguard-go in its own namespace, which must be the host's:
    /// a TUN born anywhere else would carry its UDP socket there, so that is refused rather than moved.</summary>
    public void CreateLink(string device, NetnsHandle hostNamespace)
    {
        using var host = RouteNetlink.OpenIn(hostNamespace);
        var answering = uapi.IsListening(device);
        if (answering && host.Links.Find(device) is not null)
        {
            return;
        }

        if (answering)
        {
            // Its TUN is elsewhere: typically it went with a namespace just deleted, and the daemon is exiting.
            launcher.AwaitExit(device);
        }

        launcher.Start(device);
        if (host.Links.Find(device) is null)
        {
            throw new UapiException(device, $"wireguard-go answers for {device} but its TUN is not in the host namespace ({hostNamespace.Path})");
        }
    }

    public WireGuardDevice Read(string device, NetnsHandle linkNamespace) => uapi.Get(device);

    public void Configure(string device, NetnsHandle linkNamespace, DeviceConfig config) => uapi.Set(device, config);
}
