using WgIsolate.Datapath.Namespaces;

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

    /// <summary>A device whose wireguard-go still answers is adopted: that is what a restarted agent finds.</summary>
    public void CreateLink(string device)
    {
        if (uapi.Exists(device) && !uapi.IsStale(device))
        {
            return;
        }

        launcher.Start(device);
    }

    public WireGuardDevice Read(string device, NetnsHandle linkNamespace) => uapi.Get(device);

    public void Configure(string device, NetnsHandle linkNamespace, DeviceConfig config) => uapi.Set(device, config);
}
