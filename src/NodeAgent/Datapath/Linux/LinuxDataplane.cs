using System.Net;
using System.Net.Sockets;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.Nftables;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Userspace;

namespace WgIsolate.Datapath.Linux;

/// <summary>
/// The converger's port onto the real kernel: rtnetlink sockets opened once inside each namespace, the WireGuard
/// backend, sysctls and libnftables on threads switched into the namespace. Every failure becomes a
/// <see cref="DataplaneException"/> that names the operation, the object and the kernel's reason, e.g.
/// "creating link wg-receiver in the host: File exists (EEXIST)".
/// </summary>
public sealed class LinuxDataplane : IDataplane, IDisposable
{
    private readonly IWireGuardBackend wireGuard;
    private readonly NetnsHandle host;
    private readonly RouteNetlink hostNetlink;
    private readonly Dictionary<string, (NetnsHandle Handle, RouteNetlink Netlink)> namespaces = new(StringComparer.Ordinal);
    private readonly IAppliedEndpoints appliedEndpoints;

    private readonly string natTable;

    /// <param name="natTable">The host NAT table this instance owns; one per converger scope.</param>
    /// <param name="hostNetns">A named namespace that plays the host (WireGuard links are born there, veth host
    /// ends, host routes, forwarding and NAT live there); null for the namespace this process runs in. Tests use
    /// one so that forwarding and NAT never touch the machine's own stack.</param>
    /// <param name="appliedEndpoints">Where the endpoints last configured are remembered; in memory when null.</param>
    public LinuxDataplane(IWireGuardBackend wireGuard, string natTable = HostNatTable.DefaultTable, string? hostNetns = null,
        IAppliedEndpoints? appliedEndpoints = null)
    {
        this.wireGuard = wireGuard;
        this.appliedEndpoints = appliedEndpoints ?? new InMemoryAppliedEndpoints();
        this.natTable = natTable;
        host = hostNetns is null ? NamedNetworkNamespaces.OpenCurrent() : NamedNetworkNamespaces.Open(hostNetns);
        hostNetlink = RouteNetlink.OpenIn(host);
    }

    public string WireGuardBackend => wireGuard.Name;

    /// <summary>Also lets go of namespaces that vanished behind our back (`ip netns del`): a handle kept open
    /// would keep the dead namespace alive, and would be used again for a new namespace of the same name.</summary>
    public IReadOnlyList<string> ListNamespaces() => Do("listing namespaces", () =>
    {
        var present = NamedNetworkNamespaces.List();
        foreach (var gone in namespaces.Keys.Except(present, StringComparer.Ordinal).ToList())
        {
            Forget(gone);
        }

        return present;
    });

    /// <summary>Lets go of a handle kept for a namespace that is gone, as <see cref="ListNamespaces"/> does.</summary>
    public bool NamespaceExists(string name) => Do($"looking for namespace {name}", () =>
    {
        var exists = NamedNetworkNamespaces.IsNamespace(name);
        if (!exists)
        {
            Forget(name);
        }

        return exists;
    });

    public void CreateNamespace(string name) => Do($"creating namespace {name}", () =>
    {
        Forget(name);
        NamedNetworkNamespaces.Create(name);
    });

    public void DeleteNamespace(string name) => Do($"deleting namespace {name}", () =>
    {
        // The links go with the namespace: once its last reference is gone the kernel dismantles every dying
        // namespace's devices in one batch, where deleting them one by one costs an RCU grace period each (about
        // 25 ms here). wireguard-go exits when its TUN goes; a daemon still exiting when the same device is
        // wanted again is waited for by the userspace backend.
        foreach (var link in Netlink(name).Links.List())
        {
            appliedEndpoints.Forget(link.Name);
        }

        Forget(name);
        NamedNetworkNamespaces.Delete(name);
    });

    public string? GetSysctl(string? netns, string key) =>
        Do($"reading {key} in {Describe(netns)}", () => Sysctl.Read(Handle(netns), "/proc/sys/" + key).Trim());

    public void SetSysctl(string? netns, string key, string value) =>
        Do($"setting {key}={value} in {Describe(netns)}", () => Sysctl.Write(Handle(netns), "/proc/sys/" + key, value));

    public IReadOnlyList<LinkState> ListLinks(string? netns) =>
        Do($"listing links in {Describe(netns)}", () => Netlink(netns).Links.List().Select(l => new LinkState(l.Name, l.Kind ?? "", l.IsUp, l.Alias)).ToList());

    public void CreateVethPair(string hostName, string appName, string appNetns) =>
        Do($"creating veth {hostName} with {appName} in {appNetns}", () => hostNetlink.Links.CreateVethPair(hostName, appName, Handle(appNetns)));

    public void MoveLink(string name, string toNetns) =>
        Do($"moving link {name} into {toNetns}", () => hostNetlink.Links.MoveToNetns(name, Handle(toNetns)));

    public void SetLinkUp(string? netns, string name) => Do($"setting {name} up in {Describe(netns)}", () => Netlink(netns).Links.EnsureUp(name));

    public void SetLinkAlias(string? netns, string name, string alias) =>
        Do($"marking link {name} in {Describe(netns)}", () => Netlink(netns).Links.EnsureAlias(name, alias));

    public void DeleteLink(string? netns, string name) => Do($"deleting link {name} in {Describe(netns)}", () =>
    {
        Netlink(netns).Links.DeleteIfExists(name);
        appliedEndpoints.Forget(name);
    });

    public IReadOnlyList<InterfaceAddress> ListAddresses(string? netns, string link) =>
        Do($"listing addresses of {link} in {Describe(netns)}", () => Netlink(netns).Addresses.List(0, IndexOf(netns, link)).Select(a => a.Address).ToList());

    public void AddAddress(string? netns, string link, InterfaceAddress address) =>
        Do($"adding {address} to {link} in {Describe(netns)}", () => Netlink(netns).Addresses.Ensure(IndexOf(netns, link), address));

    public void DeleteAddress(string? netns, string link, InterfaceAddress address) =>
        Do($"removing {address} from {link} in {Describe(netns)}", () => Netlink(netns).Addresses.DeleteIfExists(IndexOf(netns, link), address));

    public IReadOnlyList<RouteState> ListRoutes(string? netns) => Do($"listing routes in {Describe(netns)}", () =>
    {
        var rt = Netlink(netns);
        var names = rt.Links.List().ToDictionary(l => l.Index, l => l.Name);
        return new[] { AddressFamilies.Inet, AddressFamilies.Inet6 }
            .SelectMany(family => rt.Routes.List(family))
            .Where(r => names.ContainsKey(r.OutputInterface))
            .Select(r => new RouteState(r.Destination, names[r.OutputInterface], r.Gateway, Origin(r.Protocol)))
            .ToList();
    });

    public void AddRoute(string? netns, RouteState route) => Do($"adding route {route.Destination} dev {route.Device} in {Describe(netns)}", () =>
        Netlink(netns).Routes.Ensure(new RouteSpec(route.Destination, IndexOf(netns, route.Device), route.Gateway)));

    public void DeleteRoute(string? netns, RouteState route) => Do($"removing route {route.Destination} dev {route.Device} in {Describe(netns)}", () =>
        Netlink(netns).Routes.DeleteIfExists(new RouteSpec(route.Destination, IndexOf(netns, route.Device), route.Gateway, Protocol: 0)));

    public void CreateWireGuardLink(string name) => Do($"creating link {name} in the host", () => wireGuard.CreateLink(name, host));

    public bool SyncWireGuard(string netns, string name, WireGuardDeviceSpec desired) => Do($"configuring {name} in {netns}", () =>
    {
        var current = wireGuard.Read(name, Handle(netns));
        var change = WireGuardSync.Diff(current, desired, appliedEndpoints.Of(name));
        if (!change.IsEmpty)
        {
            wireGuard.Configure(name, Handle(netns), change);
        }

        // Only once configured: after a failure the next sync must still see a changed endpoint as changed.
        appliedEndpoints.Record(name, WireGuardSync.EndpointsOf(desired));
        return !change.IsEmpty;
    });

    public WireGuardDevice ReadWireGuard(string netns, string name) => Do($"reading {name} in {netns}", () => wireGuard.Read(name, Handle(netns)));

    public string? LoadedRulesetHash(string netns) =>
        Do($"reading the ruleset of {netns}", () => ManagedRuleset.LoadedHash(Nft.Run(Handle(netns), ManagedRuleset.ListCommand)));

    public void ReplaceRuleset(string netns, string? ruleset) => Do($"loading the ruleset of {netns}", () =>
    {
        if (ruleset is null)
        {
            Nft.Run(Handle(netns), ManagedRuleset.FlushCommand);
            return;
        }

        Nft.Run(Handle(netns), ManagedRuleset.ReplaceCommands(ruleset, RulesetHash.Of(ruleset)));
        Nft.Run(Handle(netns), ManagedRuleset.RecordListingCommand(Nft.Run(Handle(netns), ManagedRuleset.ListCommand)));
    });

    public IReadOnlyList<NatSource> ReadHostNat() => Do("reading the host NAT table", () =>
    {
        try
        {
            return HostNatTable.Parse(Nft.Run(host, HostNatTable.ListCommand(natTable)));
        }
        catch (NftablesException ex) when (ex.Message.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return [];
        }
    });

    public void ReplaceHostNat(IReadOnlyList<NatSource> sources) =>
        Do("replacing the host NAT table", () => Nft.Run(host, HostNatTable.ReplaceCommands(natTable, sources)));

    /// <summary>UDP ports bound inside a namespace: a WireGuard socket must never be among them.</summary>
    public IReadOnlyList<int> ListUdpPorts(string netns) => Do($"listing UDP sockets in {netns}", () =>
        NetnsThread.Run(Handle(netns), () => new[] { "/proc/thread-self/net/udp", "/proc/thread-self/net/udp6" }
            .SelectMany(File.ReadLines)
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 1 && f[1].Contains(':'))
            .Select(f => Convert.ToInt32(f[1][(f[1].LastIndexOf(':') + 1)..], 16))
            .Distinct()
            .ToList()));

    public void Dispose()
    {
        foreach (var (handle, netlink) in namespaces.Values)
        {
            netlink.Dispose();
            handle.Dispose();
        }

        hostNetlink.Dispose();
        host.Dispose();
    }

    /// <summary>An ifindex means something only inside its own namespace, so it is always resolved there.</summary>
    private int IndexOf(string? netns, string link) => Netlink(netns).Links.Get(link).Index;

    private RouteNetlink Netlink(string? netns) => netns is null ? hostNetlink : Open(netns).Netlink;

    private NetnsHandle Handle(string? netns) => netns is null ? host : Open(netns).Handle;

    private (NetnsHandle Handle, RouteNetlink Netlink) Open(string netns)
    {
        if (!namespaces.TryGetValue(netns, out var open))
        {
            var handle = NamedNetworkNamespaces.Open(netns);
            open = (handle, RouteNetlink.OpenIn(handle));
            namespaces[netns] = open;
        }

        return open;
    }

    /// <summary>Closes what this process holds open in a namespace: until then the kernel cannot dismantle it.</summary>
    private void Forget(string netns)
    {
        if (namespaces.Remove(netns, out var open))
        {
            open.Netlink.Dispose();
            open.Handle.Dispose();
        }
    }

    private static RouteOrigin Origin(byte protocol) => protocol switch
    {
        RouteProtocol.Kernel => RouteOrigin.Kernel,
        RouteProtocol.WgIsolate => RouteOrigin.WgIsolate,
        _ => RouteOrigin.Other,
    };

    private static string Describe(string? netns) => netns is null ? "the host" : $"netns {netns}";

    private static void Do(string operation, Action action) => Do(operation, () =>
    {
        action();
        return true;
    });

    private static T Do<T>(string operation, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is ErrnoException or UapiException or NftablesException or IOException or SocketException or KernelWireGuardUnavailableException)
        {
            throw new DataplaneException($"{operation}: {ex.Message}", ex);
        }
    }
}
