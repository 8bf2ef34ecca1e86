using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.Netlink.Route;

using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.Datapath.WireGuard.Kernel;

/// <summary>
/// The kernel module: RTM_NEWLINK kind "wireguard" in the host netns, configuration over generic netlink. The genl
/// handlers resolve the interface name in the genl socket's own netns, so the socket is opened in the netns where
/// the link lives now, and the family id is resolved on that socket (ids are per netns).
/// </summary>
/// <param name="openGenericSocket">Opens the genl socket inside a namespace; the kernel VM test passes one that
/// records the datagrams, to observe how a large configuration is split. Real sockets when null.</param>
public sealed class KernelWireGuardBackend(Func<NetnsHandle, NetlinkSocket>? openGenericSocket = null) : IWireGuardBackend
{
    private readonly Func<NetnsHandle, NetlinkSocket> openGeneric =
        openGenericSocket ?? (netns => NetlinkSocket.OpenIn(netns, NetlinkProtocol.Generic));

    public string Name => "kernel";

    public void CreateLink(string device, NetnsHandle hostNamespace)
    {
        using var route = RouteNetlink.OpenIn(hostNamespace);
        if (route.Links.Find(device) is null)
        {
            route.Links.CreateWireGuard(device);
        }
    }

    /// <summary>The genl handlers resolve the device in the socket's namespace: open it where the link lives.</summary>
    public void Configure(string device, NetnsHandle linkNamespace, DeviceConfig config)
    {
        using var genl = openGeneric(linkNamespace);
        var family = GenericFamily.ResolveId(genl, WireGuardAttributes.FamilyName);
        var messages = SetDeviceMessages.Build(family, device, config);
        for (var i = 0; i < messages.Count; i++)
        {
            genl.Request(messages[i], $"WG_CMD_SET_DEVICE {device} (message {i + 1} of {messages.Count})");
        }
    }

    public WireGuardDevice Read(string device, NetnsHandle linkNamespace)
    {
        using var genl = openGeneric(linkNamespace);
        var family = GenericFamily.ResolveId(genl, WireGuardAttributes.FamilyName);
        return GetDeviceMessages.Parse(genl.Dump(GetDeviceMessages.Request(family, device), $"WG_CMD_GET_DEVICE {device}"));
    }
}
