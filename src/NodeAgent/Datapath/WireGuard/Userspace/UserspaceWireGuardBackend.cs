using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.WireGuard.Userspace;

/// <summary>
/// wireguard-go: the TUN is created by wireguard-go in the netns of the thread that starts it (call from a normal,
/// unswitched thread: the host's); configuration goes over the UAPI socket file, which works from any netns and
/// keeps working after the TUN has moved.
/// </summary>
public sealed class UserspaceWireGuardBackend(UapiClient uapi, WireGuardGo wireGuardGo) : IWireGuardBackend
{
    public UserspaceWireGuardBackend()
        : this(new UapiClient())
    {
    }

    private UserspaceWireGuardBackend(UapiClient uapi)
        : this(uapi, new WireGuardGo(uapi))
    {
    }

    public string Name => "userspace (wireguard-go)";

    /// <summary>A socket that is already there belongs to a wireguard-go the agent started before it restarted.</summary>
    public void CreateLink(string ifname)
    {
        if (!uapi.Exists(ifname))
        {
            wireGuardGo.Start(ifname);
        }
    }

    public void Configure(string ifname, string? netns, DeviceConfig config) => uapi.Set(ifname, config);

    public WireGuardDevice Get(string ifname, string? netns) => uapi.Get(ifname);

    public bool DeleteLink(string ifname, string? netns) =>
        wireGuardGo.Remove(ifname, name =>
        {
            using var route = new RouteNetlink(NetnsSockets.Open(netns, NetlinkProtocol.Route));
            return route.Links.DeleteIfExists(name);
        });
}
