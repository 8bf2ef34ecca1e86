using System.Net;
using System.Net.Sockets;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>
/// A unicast route. Without a gateway it is a device route (DST + OIF, what WireGuard links need; IPv4 scope LINK);
/// with one it is a gateway route (veth egress, default routes with a /0 destination).
/// </summary>
public sealed record RouteSpec(
    IPNetwork Destination,
    int OutputInterface,
    IPAddress? Gateway = null,
    uint Table = RouteTable.Main,
    byte Protocol = RouteProtocol.WgIsolate,
    uint? Metric = null)
{
    public bool IsIPv6 => Destination.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>IPv4 device routes are scope link; IPv6 ignores the scope.</summary>
    public RouteScope Scope => Gateway is null && !IsIPv6 ? RouteScope.Link : RouteScope.Universe;

    public void Validate()
    {
        if (Gateway is not null && Gateway.AddressFamily != Destination.BaseAddress.AddressFamily)
        {
            throw new ArgumentException($"route {this}: gateway {Gateway} and destination {Destination} differ in address family");
        }

        if (OutputInterface <= 0)
        {
            throw new ArgumentException($"route to {Destination}: output interface index {OutputInterface} is not a link");
        }
    }

    public override string ToString() =>
        $"{Destination}{(Gateway is null ? "" : $" via {Gateway}")} dev #{OutputInterface} table {Table} proto {Protocol}" +
        (Metric is { } metric ? $" metric {metric}" : "");
}
