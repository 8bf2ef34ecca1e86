using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink;

namespace WgIsolate.Datapath.WireGuard;

/// <summary>A netlink socket in a named netns (or the host's for null), opened per operation.</summary>
internal static class NetnsSockets
{
    public static NetlinkSocket Open(string? netns, NetlinkProtocol protocol)
    {
        if (netns is null)
        {
            return NetlinkSocket.Open(protocol);
        }

        using var handle = NamedNetworkNamespaces.Open(netns);
        return NetlinkSocket.OpenIn(handle, protocol);
    }
}
