using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.Datapath.WireGuard;

/// <summary>
/// One way of running WireGuard devices: the kernel module (generic netlink) or wireguard-go (UAPI socket).
/// Either way the link is created in the calling thread's namespace — the host's — so its UDP socket stays
/// there, and is configured wherever the link lives at the time.
/// </summary>
public interface IWireGuardBackend
{
    string Name { get; }

    void CreateLink(string device);

    WireGuardDevice Read(string device, NetnsHandle linkNamespace);

    void Configure(string device, NetnsHandle linkNamespace, DeviceConfig config);
}
