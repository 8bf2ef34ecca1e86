using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>Routes of the namespace the socket lives in.</summary>
public sealed class RouteClient(NetlinkSocket socket)
{
    /// <summary>Table and protocol 0 mean any; the kernel filters (strict checking) and so do we, to be sure.</summary>
    public IReadOnlyList<RouteInfo> List(byte family, uint table = RouteTable.Main, byte protocol = RouteProtocol.Unspecified) =>
        socket.Dump(RouteMessages.Dump(family, table, protocol), $"RTM_GETROUTE dump (family {family}, table {table}, proto {protocol})")
            .Select(RouteInfo.Parse)
            .Where(route => (table == 0 || route.Table == table) && (protocol == 0 || route.Protocol == protocol))
            .ToList();

    /// <summary>Creates or replaces the route unless an identical one exists.</summary>
    public bool Ensure(RouteSpec route)
    {
        route.Validate();
        var family = AddressFamilies.Of(route.Destination.BaseAddress);
        if (List(family, route.Table, route.Protocol).Any(existing => existing.Matches(route)))
        {
            return false;
        }

        socket.Request(RouteMessages.Add(route, replace: true), $"RTM_NEWROUTE {route}");
        return true;
    }

    /// <summary>False when there was no such route (IPv4 answers ESRCH, IPv6 ENOENT).</summary>
    public bool DeleteIfExists(RouteSpec route)
    {
        try
        {
            socket.Request(RouteMessages.Delete(route), $"RTM_DELROUTE {route}");
            return true;
        }
        catch (NetlinkException e) when (e.Errno is Errno.ESRCH or Errno.ENOENT)
        {
            return false;
        }
    }
}
