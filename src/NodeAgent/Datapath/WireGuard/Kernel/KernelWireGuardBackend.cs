using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.WireGuard.Kernel;

/// <summary>
/// The kernel module: RTM_NEWLINK kind "wireguard" in the host netns, configuration over generic netlink. The genl
/// handlers resolve the interface name in the genl socket's own netns, so the socket is opened in the netns where
/// the link lives now, and the family id is resolved on that socket (ids are per netns).
/// </summary>
public sealed class KernelWireGuardBackend : IWireGuardBackend
{
    public string Name => "kernel";

    public void CreateLink(string ifname)
    {
        using var route = new RouteNetlink(NetlinkSocket.Open(NetlinkProtocol.Route));
        if (route.Links.Find(ifname) is null)
        {
            route.Links.CreateWireGuard(ifname);
        }
    }

    public void Configure(string ifname, string? netns, DeviceConfig config)
    {
        using var genl = NetnsSockets.Open(netns, NetlinkProtocol.Generic);
        var family = GenericFamily.ResolveId(genl, WireGuardAttributes.FamilyName);
        var messages = SetDeviceMessages.Build(family, ifname, config);
        for (var i = 0; i < messages.Count; i++)
        {
            genl.Request(messages[i], $"WG_CMD_SET_DEVICE {ifname} (message {i + 1} of {messages.Count})");
        }
    }

    public WireGuardDevice Get(string ifname, string? netns)
    {
        using var genl = NetnsSockets.Open(netns, NetlinkProtocol.Generic);
        var family = GenericFamily.ResolveId(genl, WireGuardAttributes.FamilyName);
        return GetDeviceMessages.Parse(genl.Dump(GetDeviceMessages.Request(family, ifname), $"WG_CMD_GET_DEVICE {ifname}"));
    }

    public bool DeleteLink(string ifname, string? netns)
    {
        using var route = new RouteNetlink(NetnsSockets.Open(netns, NetlinkProtocol.Route));
        return route.Links.DeleteIfExists(ifname);
    }
}
