using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.Datapath.WireGuard;

/// <summary>
/// One way of running WireGuard devices: the kernel module (generic netlink) or wireguard-go (UAPI socket).
/// Either way the link is created in the host's namespace, so its UDP socket stays there, and is configured
/// wherever the link lives at the time.
/// </summary>
public interface IWireGuardBackend
{
    string Name { get; }

    /// <summary>Creates the device in <paramref name="hostNamespace"/> unless it exists there already.</summary>
    void CreateLink(string device, NetnsHandle hostNamespace);

    WireGuardDevice Read(string device, NetnsHandle linkNamespace);

    void Configure(string device, NetnsHandle linkNamespace, DeviceConfig config);
}
