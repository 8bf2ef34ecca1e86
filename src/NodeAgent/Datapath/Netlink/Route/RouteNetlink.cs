using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>rtnetlink for one network namespace: one socket, opened inside it, shared by the three clients.</summary>
public sealed class RouteNetlink : IDisposable
{
    public RouteNetlink(NetlinkSocket socket)
    {
        Socket = socket;
        Links = new LinkClient(socket);
        Addresses = new AddressClient(socket);
        Routes = new RouteClient(socket);
    }

    public NetlinkSocket Socket { get; }

    public LinkClient Links { get; }

    public AddressClient Addresses { get; }

    public RouteClient Routes { get; }

    /// <summary>The calling thread's namespace (the host's, for normal threads).</summary>
    public static RouteNetlink Open() => new(NetlinkSocket.Open(NetlinkProtocol.Route));

    public static RouteNetlink OpenIn(NetnsHandle netns) => new(NetlinkSocket.OpenIn(netns, NetlinkProtocol.Route));

    public void Dispose() => Socket.Dispose();
}
