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

    public void CreateLink(string device) => launcher.Start(device);

    public WireGuardDevice Read(string device, NetnsHandle linkNamespace) => uapi.Get(device);

    public void Configure(string device, NetnsHandle linkNamespace, DeviceConfig config) => uapi.Set(device, config);
}
