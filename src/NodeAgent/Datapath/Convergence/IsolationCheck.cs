using System.Net.Sockets;

namespace WgIsolate.Datapath.Convergence;

/// <summary>
/// Fail closed: before an app is called ready, its isolation is read back from the kernel's own view rather than
/// assumed from what was just written. Isolated means: the namespace holds only lo, its WireGuard link and (with
/// egress) its veth end; the WireGuard link carries exactly its address; the routes WgIsolate did not leave to
/// the kernel are exactly the expected ones; the requested ruleset is loaded; and the WireGuard UDP socket is not
/// inside the namespace (it must stay in the host, where the link was born).
/// </summary>
public static class IsolationCheck
{
    /// <param name="udpPortsInNamespace">UDP ports bound inside a namespace (from /proc/net/udp{,6} there).</param>
    /// <returns>Every deviation found, in words; empty when the app is isolated.</returns>
    public static IReadOnlyList<string> Deviations(IDataplane dataplane, AppNetwork app, Func<string, IReadOnlyList<int>> udpPortsInNamespace)
    {
        if (!dataplane.NamespaceExists(app.Netns))
        {
            return [$"namespace {app.Netns} does not exist"];
        }

        var deviations = new List<string>();
        var expectedLinks = new HashSet<string>(StringComparer.Ordinal) { "lo", app.WireGuard.Name };
        if (app.Egress is { } egress)
        {
            expectedLinks.Add(egress.AppInterface);
        }

        var links = dataplane.ListLinks(app.Netns);
        deviations.AddRange(links.Where(l => !expectedLinks.Contains(l.Name)).Select(l => $"unexpected link {l.Name} ({l.Kind})"));
        deviations.AddRange(expectedLinks.Where(n => links.All(l => l.Name != n)).Select(n => $"link {n} is missing"));
        if (links.FirstOrDefault(l => l.Name == app.WireGuard.Name) is { } wg)
        {
            if (!wg.Up)
            {
                deviations.Add($"link {wg.Name} is down");
            }

            var addresses = dataplane.ListAddresses(app.Netns, wg.Name)
                .Where(a => !(a.Address.AddressFamily == AddressFamily.InterNetworkV6 && a.Address.IsIPv6LinkLocal))
                .ToList();
            deviations.AddRange(addresses.Where(a => a != app.WireGuard.Address).Select(a => $"unexpected address {a} on {wg.Name}"));
            if (!addresses.Contains(app.WireGuard.Address))
            {
                deviations.Add($"address {app.WireGuard.Address} is missing from {wg.Name}");
            }
        }

        var expectedRoutes = DesiredRoutes.InApp(app);
        var routes = dataplane.ListRoutes(app.Netns).Where(r => r.Origin != RouteOrigin.Kernel).ToList();
        deviations.AddRange(routes.Except(expectedRoutes).Select(r => $"unexpected route {r.Destination} dev {r.Device}"));
        deviations.AddRange(expectedRoutes.Except(routes).Select(r => $"route {r.Destination} dev {r.Device} is missing"));

        if (app.FirewallRuleset is { } ruleset && dataplane.LoadedRulesetHash(app.Netns) != RulesetHash.Of(ruleset))
        {
            deviations.Add("the requested nftables ruleset is not loaded");
        }

        if (udpPortsInNamespace(app.Netns).Contains(app.WireGuard.Device.ListenPort))
        {
            deviations.Add($"UDP port {app.WireGuard.Device.ListenPort} is bound inside the namespace: the WireGuard socket must stay in the host");
        }

        return deviations;
    }
}
