using System.Net;
using System.Net.Sockets;

using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.Convergence;

/// <summary>The routes an app network implies, inside its namespace and on the host.</summary>
public static class DesiredRoutes
{
    public static IReadOnlyList<RouteState> InApp(AppNetwork app)
    {
        var routes = app.WireGuard.RoutedPrefixes
            .Select(p => new RouteState(p, app.WireGuard.Name, null, RouteOrigin.WgIsolate))
            .ToList();
        if (app.Egress is { } egress)
        {
            foreach (var destination in egress.Routes)
            {
                var via = destination.BaseAddress.AddressFamily == AddressFamily.InterNetwork
                    ? egress.Ipv4?.Host.Address ?? throw new InvalidOperationException(
                        $"{app.Owner}: IPv4 route {destination} needs IPv4 on the egress veth")
                    : egress.Ipv6.Host.Address;
                routes.Add(new RouteState(destination, egress.AppInterface, via, RouteOrigin.WgIsolate));
            }
        }

        return routes;
    }

    /// <summary>Return traffic to the app's own address goes back through its veth.</summary>
    public static IReadOnlyList<RouteState> OnHost(AppNetwork app)
    {
        var egress = app.Egress ?? throw new InvalidOperationException($"{app.Owner} has no egress");
        return
        [
            new RouteState(new IPNetwork(app.WireGuard.Address.Address, 128), egress.HostInterface, egress.Ipv6.App.Address, RouteOrigin.WgIsolate),
        ];
    }
}
