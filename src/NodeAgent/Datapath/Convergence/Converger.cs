using System.Net;
using System.Net.Sockets;

using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.Convergence;

/// <summary>
/// Brings the host to a desired set of app networks, changing only what differs, and removes every WgIsolate
/// object that is no longer desired. Level-triggered: it never remembers what it did last time, it reads the
/// kernel each time, so a restart adopts what exists and a hand-made change is repaired on the next run.
/// One app's failure is reported for that app and does not stop the others.
/// Only owners under <paramref name="ownerScope"/> are managed (every owner when empty): one agent owns a host,
/// but tests and several host-mode state directories must not collect each other's apps.
/// </summary>
public sealed class Converger(IDataplane dataplane, string ownerScope = "")
{
    // Sysctls every app namespace gets: binding low ports needs no privilege inside (the seed's setting), and
    // IPv6 duplicate address detection is off so addresses are usable at once (veths would stay tentative ~1 s).
    private static readonly (string Key, string Value)[] AppSysctls =
    [
        ("net/ipv4/ip_unprivileged_port_start", "0"),
        ("net/ipv6/conf/all/accept_dad", "0"),
        ("net/ipv6/conf/default/accept_dad", "0"),
    ];

    // Egress through a veth means the host forwards for the app.
    private static readonly (string Key, string Value)[] HostEgressSysctls =
    [
        ("net/ipv4/ip_forward", "1"),
        ("net/ipv6/conf/all/forwarding", "1"),
    ];

    public ConvergeReport Converge(IReadOnlyList<AppNetwork> desired)
    {
        DesiredSetValidator.Validate(desired, ownerScope);
        var results = desired.Select(ConvergeOne).ToList();
        var removed = new List<string>();
        var hostChanges = new ChangeLog();
        try
        {
            RemoveOrphans(desired, removed);
            ConvergeHost(desired, hostChanges);
            return new ConvergeReport(results, removed, hostChanges.Items, null);
        }
        catch (Exception ex) when (ex is DataplaneException or InvalidOperationException)
        {
            return new ConvergeReport(results, removed, hostChanges.Items, ex.Message);
        }
    }

    private AppResult ConvergeOne(AppNetwork app)
    {
        var changes = new ChangeLog();
        try
        {
            var fresh = EnsureNamespace(app, changes);
            EnsureOnlyExpectedLinks(app, changes);
            EnsureWireGuard(app, changes);
            EnsureEgress(app, changes);
            EnsureRoutes(app.Netns, DesiredRoutes.InApp(app), changes);
            if (app.Egress is not null)
            {
                EnsureHostRoutes(app, changes);
            }

            EnsureFirewall(app, fresh, changes);
            return new AppResult(app.Owner, changes.Items, null);
        }
        catch (Exception ex) when (ex is DataplaneException or InvalidOperationException)
        {
            return new AppResult(app.Owner, changes.Items, ex.Message);
        }
    }

    /// <summary>True when the namespace was created just now, and so holds nothing but a down lo.</summary>
    private bool EnsureNamespace(AppNetwork app, ChangeLog changes)
    {
        var fresh = !dataplane.NamespaceExists(app.Netns);
        if (fresh)
        {
            dataplane.CreateNamespace(app.Netns);
            changes.Add($"created namespace {app.Netns}");
        }

        var links = dataplane.ListLinks(app.Netns);
        var lo = links.Single(l => l.Name == "lo");
        if (lo.Alias != app.Alias)
        {
            // A namespace that is not ours is never adopted, unless it is empty: that is what a crash between
            // creating the namespace and marking its lo leaves behind.
            var foreign = LinkAliases.IsManaged(lo.Alias) || links.Count > 1;
            if (foreign)
            {
                throw new InvalidOperationException(
                    $"namespace {app.Netns} exists and belongs to {LinkAliases.OwnerOf(lo.Alias) ?? "something other than WgIsolate"}");
            }

            dataplane.SetLinkAlias(app.Netns, "lo", app.Alias);
            changes.Add($"marked namespace {app.Netns} as {app.Owner}'s");
        }

        if (!lo.Up)
        {
            dataplane.SetLinkUp(app.Netns, "lo");
            changes.Add($"set lo up in {app.Netns}");
        }

        foreach (var (key, value) in AppSysctls)
        {
            EnsureSysctl(app.Netns, key, value, changes);
        }

        return fresh;
    }

    private void EnsureSysctl(string? netns, string key, string value, ChangeLog changes)
    {
        if (dataplane.GetSysctl(netns, key) != value)
        {
            dataplane.SetSysctl(netns, key, value);
            changes.Add($"set {key}={value} in {netns ?? "host"}");
        }
    }

    private void EnsureWireGuard(AppNetwork app, ChangeLog changes)
    {
        var wg = app.WireGuard;
        if (dataplane.ListLinks(app.Netns).All(l => l.Name != wg.Name))
        {
            var inHost = dataplane.ListLinks(null).FirstOrDefault(l => l.Name == wg.Name);
            if (inHost is null)
            {
                dataplane.CreateWireGuardLink(wg.Name);
                changes.Add($"created link {wg.Name} ({dataplane.WireGuardBackend})");
            }
            else if (inHost.Alias != app.Alias && !IsUnmarkedNewWireGuardLink(inHost))
            {
                throw new InvalidOperationException(
                    $"link {wg.Name} exists in the host namespace and belongs to {LinkAliases.OwnerOf(inHost.Alias) ?? "something other than WgIsolate"}");
            }

            EnsureAlias(null, wg.Name, app, changes);
            dataplane.MoveLink(wg.Name, app.Netns);
            changes.Add($"moved link {wg.Name} into {app.Netns}");
        }

        EnsureAlias(app.Netns, wg.Name, app, changes);
        if (dataplane.SyncWireGuard(app.Netns, wg.Name, wg.Device))
        {
            changes.Add($"configured {wg.Name}");
        }

        EnsureAddresses(app.Netns, wg.Name, [wg.Address], changes);
        EnsureUp(app.Netns, wg.Name, changes);
    }

    /// <summary>
    /// A crash between creating a WireGuard link and marking it leaves exactly this: a WireGuard link of the
    /// desired name, unmarked and without addresses. Adopting it is what makes that crash recoverable; a link
    /// somebody configured (with addresses) is never taken.
    /// </summary>
    private bool IsUnmarkedNewWireGuardLink(LinkState link) =>
        link.Alias is null
        && link.Kind is "wireguard" or "tun"
        && dataplane.ListAddresses(null, link.Name).All(a => IsLinkLocal(a.Address));

    private void EnsureAlias(string? netns, string link, AppNetwork app, ChangeLog changes)
    {
        if (dataplane.ListLinks(netns).Single(l => l.Name == link).Alias != app.Alias)
        {
            dataplane.SetLinkAlias(netns, link, app.Alias);
            changes.Add($"marked link {link} as {app.Owner}'s");
        }
    }

    /// <summary>Only the pair itself: a veth by any other name was already removed as unexpected.</summary>
    private void EnsureEgress(AppNetwork app, ChangeLog changes)
    {
        if (app.Egress is not { } egress)
        {
            return;
        }

        if (dataplane.ListLinks(app.Netns).All(l => l.Name != egress.AppInterface))
        {
            // A host end without its app end is what a crash mid-creation leaves; the pair is made afresh.
            var staleHostEnd = dataplane.ListLinks(null).FirstOrDefault(l => l.Name == egress.HostInterface);
            if (staleHostEnd is not null)
            {
                if (staleHostEnd.Alias != app.Alias)
                {
                    throw new InvalidOperationException(
                        $"link {egress.HostInterface} exists in the host namespace and belongs to {LinkAliases.OwnerOf(staleHostEnd.Alias) ?? "something other than WgIsolate"}");
                }

                dataplane.DeleteLink(null, egress.HostInterface);
            }

            dataplane.CreateVethPair(egress.HostInterface, egress.AppInterface, app.Netns);
            changes.Add($"created egress veth {egress.HostInterface} <-> {egress.AppInterface}");
        }

        EnsureAlias(null, egress.HostInterface, app, changes);
        EnsureAlias(app.Netns, egress.AppInterface, app, changes);

        var hostSide = new List<InterfaceAddress> { egress.Ipv6.Host };
        var appSide = new List<InterfaceAddress> { egress.Ipv6.App };
        if (egress.Ipv4 is { } v4)
        {
            hostSide.Add(v4.Host);
            appSide.Add(v4.App);
        }

        EnsureAddresses(null, egress.HostInterface, hostSide, changes);
        EnsureAddresses(app.Netns, egress.AppInterface, appSide, changes);
        EnsureUp(null, egress.HostInterface, changes);
        EnsureUp(app.Netns, egress.AppInterface, changes);
    }

    private void EnsureOnlyExpectedLinks(AppNetwork app, ChangeLog changes)
    {
        var expected = new HashSet<string> { "lo", app.WireGuard.Name };
        if (app.Egress is not null)
        {
            expected.Add(app.Egress.AppInterface);
        }

        foreach (var link in dataplane.ListLinks(app.Netns).Where(l => !expected.Contains(l.Name)))
        {
            dataplane.DeleteLink(app.Netns, link.Name);
            changes.Add($"removed unexpected link {link.Name} from {app.Netns}");
        }
    }

    private void EnsureAddresses(string? netns, string link, IReadOnlyList<InterfaceAddress> wanted, ChangeLog changes)
    {
        // Link-local addresses are the kernel's business (IPv6 needs one per link); everything else is ours.
        var present = dataplane.ListAddresses(netns, link).Where(a => !IsLinkLocal(a.Address) || wanted.Contains(a)).ToList();
        foreach (var extra in present.Except(wanted))
        {
            dataplane.DeleteAddress(netns, link, extra);
            changes.Add($"removed address {extra} from {link}");
        }

        foreach (var missing in wanted.Except(present))
        {
            dataplane.AddAddress(netns, link, missing);
            changes.Add($"added address {missing} to {link}");
        }
    }

    private void EnsureUp(string? netns, string link, ChangeLog changes)
    {
        if (!dataplane.ListLinks(netns).Single(l => l.Name == link).Up)
        {
            dataplane.SetLinkUp(netns, link);
            changes.Add($"set {link} up");
        }
    }

    /// <summary>Inside an app namespace every route that is not the kernel's must be one we want: fail closed.</summary>
    private void EnsureRoutes(string netns, IReadOnlyList<RouteState> wanted, ChangeLog changes) =>
        ReconcileRoutes(netns, wanted, r => r.Origin != RouteOrigin.Kernel, $"in {netns}", changes);

    /// <summary>On the host only the routes over this app's veth are ours to manage.</summary>
    private void EnsureHostRoutes(AppNetwork app, ChangeLog changes)
    {
        var device = app.Egress!.HostInterface;
        ReconcileRoutes(null, DesiredRoutes.OnHost(app), r => r.Device == device && r.Origin == RouteOrigin.WgIsolate, "on the host", changes);
    }

    private void ReconcileRoutes(string? netns, IReadOnlyList<RouteState> wanted, Func<RouteState, bool> managed, string where, ChangeLog changes)
    {
        var present = dataplane.ListRoutes(netns).Where(managed).ToList();
        foreach (var extra in present.Except(wanted))
        {
            dataplane.DeleteRoute(netns, extra);
            changes.Add($"removed route {Describe(extra)} {where}");
        }

        foreach (var missing in wanted.Except(present))
        {
            dataplane.AddRoute(netns, missing);
            changes.Add($"added route {Describe(missing)} {where}");
        }
    }

    /// <summary>A namespace created in this run has an empty ruleset: reading it back would only cost time.</summary>
    private void EnsureFirewall(AppNetwork app, bool freshNamespace, ChangeLog changes)
    {
        var wanted = app.FirewallRuleset is null ? null : RulesetHash.Of(app.FirewallRuleset);
        var loaded = freshNamespace ? null : dataplane.LoadedRulesetHash(app.Netns);
        if (loaded != wanted)
        {
            dataplane.ReplaceRuleset(app.Netns, app.FirewallRuleset);
            changes.Add(wanted is null ? $"flushed the ruleset of {app.Netns}" : $"loaded the ruleset of {app.Netns}");
        }
    }

    /// <summary>
    /// Removes these owners' apps and nothing else: their namespaces (and with them the links inside), their
    /// links left in the host, and their host NAT entries. Other apps are not touched, not even read.
    /// </summary>
    public ConvergeReport Remove(IReadOnlySet<string> owners)
    {
        var removed = new List<string>();
        var hostChanges = new ChangeLog();
        try
        {
            var hostEnds = dataplane.ListLinks(null)
                .Where(l => LinkAliases.OwnerOf(l.Alias) is { } owner && owners.Contains(owner))
                .Select(l => l.Name)
                .ToHashSet(StringComparer.Ordinal);
            Collect(owners.Contains, removed);
            var nat = dataplane.ReadHostNat();
            var kept = nat.Where(s => !hostEnds.Contains(s.HostInterface)).ToList();
            if (kept.Count != nat.Count)
            {
                dataplane.ReplaceHostNat(kept);
                hostChanges.Add(kept.Count == 0 ? "removed the host NAT table" : $"set host NAT for {kept.Count} sources");
            }

            return new ConvergeReport([], removed, hostChanges.Items, null);
        }
        catch (Exception ex) when (ex is DataplaneException or InvalidOperationException)
        {
            return new ConvergeReport([], removed, hostChanges.Items, ex.Message);
        }
    }

    private void RemoveOrphans(IReadOnlyList<AppNetwork> desired, List<string> removed)
    {
        var owners = desired.Select(a => a.Owner).ToHashSet(StringComparer.Ordinal);
        Collect(owner => InScope(owner) && !owners.Contains(owner), removed);
    }

    /// <summary>Deletes every namespace and host link marked as belonging to an owner that is garbage.</summary>
    private void Collect(Func<string, bool> isGarbage, List<string> removed)
    {
        foreach (var netns in dataplane.ListNamespaces())
        {
            var lo = dataplane.ListLinks(netns).FirstOrDefault(l => l.Name == "lo");
            if (LinkAliases.OwnerOf(lo?.Alias) is { } owner && isGarbage(owner))
            {
                dataplane.DeleteNamespace(netns);
                removed.Add($"namespace {netns} of {owner}");
            }
        }

        foreach (var link in dataplane.ListLinks(null))
        {
            if (LinkAliases.OwnerOf(link.Alias) is { } owner && isGarbage(owner))
            {
                dataplane.DeleteLink(null, link.Name);
                removed.Add($"link {link.Name} of {owner}");
            }
        }
    }

    private void ConvergeHost(IReadOnlyList<AppNetwork> desired, ChangeLog changes)
    {
        if (desired.Any(a => a.Egress is not null))
        {
            foreach (var (key, value) in HostEgressSysctls)
            {
                EnsureSysctl(null, key, value, changes);
            }
        }

        var nat = desired
            .Where(a => a.Egress is { Nat: true })
            .SelectMany(NatSources)
            .OrderBy(s => s.Source.ToString(), StringComparer.Ordinal)
            .ToList();
        if (!dataplane.ReadHostNat().SequenceEqual(nat))
        {
            dataplane.ReplaceHostNat(nat);
            changes.Add(nat.Count == 0 ? "removed the host NAT table" : $"set host NAT for {nat.Count} sources");
        }
    }

    /// <summary>IPv6 egress leaves with the app's own address (source selection prefers it over the veth's);
    /// IPv4 egress with the veth's /30.</summary>
    private static IEnumerable<NatSource> NatSources(AppNetwork app)
    {
        var egress = app.Egress!;
        var address = app.WireGuard.Address.Address;
        yield return new NatSource(new IPNetwork(address, 128), egress.HostInterface);
        if (egress.Ipv4 is { } v4)
        {
            yield return new NatSource(v4.App.Network, egress.HostInterface);
        }
    }

    private bool InScope(string owner) => owner.StartsWith(ownerScope, StringComparison.Ordinal);

    private static bool IsLinkLocal(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv6LinkLocal;

    private static string Describe(RouteState route) =>
        route.Gateway is null ? $"{route.Destination} dev {route.Device}" : $"{route.Destination} via {route.Gateway} dev {route.Device}";

    private sealed class ChangeLog
    {
        public List<string> Items { get; } = [];

        public void Add(string change) => Items.Add(change);
    }
}
