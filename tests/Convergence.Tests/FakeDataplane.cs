using System.Net;
using System.Net.Sockets;
using System.Text;
using WgIsolate.Datapath.Convergence;

using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Convergence.Tests;

/// <summary>
/// An in-memory kernel with the semantics the converger relies on: a move takes a link down and flushes its
/// addresses and routes, deleting one veth end deletes both, an address brings its prefix route, deleting a
/// namespace destroys what is in it. Mutations are logged; <see cref="FailAt"/> makes the n-th mutation throw
/// as a crash would interrupt it; <see cref="Dump"/> prints the whole state sorted, for golden comparisons.
/// </summary>
internal sealed class FakeDataplane : IDataplane
{
    private const string Host = "";
    private readonly Dictionary<string, Netns> namespaces = new() { [Host] = new Netns() };
    private List<NatSource> hostNat = [];
    private int? failAtMutation;

    public string WireGuardBackend => "fake";

    public List<string> Mutations { get; } = [];

    public int WireGuardSyncs { get; private set; }

    /// <summary>The mutation with this 0-based index (counted from now) throws instead of happening.</summary>
    public void FailAt(int index) => failAtMutation = Mutations.Count + index;

    public IReadOnlyList<string> ListNamespaces() => namespaces.Keys.Where(k => k != Host).Order(StringComparer.Ordinal).ToList();

    public bool NamespaceExists(string name) => name != Host && namespaces.ContainsKey(name);

    public void CreateNamespace(string name)
    {
        Mutate($"netns add {name}");
        if (!namespaces.TryAdd(name, new Netns()))
        {
            throw new DataplaneException($"creating namespace {name}: File exists (EEXIST)");
        }

        namespaces[name].Links["lo"] = new Link("loopback");
    }

    public void DeleteNamespace(string name)
    {
        Mutate($"netns del {name}");
        foreach (var link in Ns(name).Links.Keys.ToList())
        {
            RemoveLink(name, link);
        }

        namespaces.Remove(name);
    }

    public string? GetSysctl(string? netns, string key) => Ns(netns).Sysctls.GetValueOrDefault(key);

    public void SetSysctl(string? netns, string key, string value)
    {
        Mutate($"sysctl {Name(netns)} {key}={value}");
        Ns(netns).Sysctls[key] = value;
    }

    public IReadOnlyList<LinkState> ListLinks(string? netns) =>
        Ns(netns).Links.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new LinkState(l.Key, l.Value.Kind, l.Value.Up, l.Value.Alias)).ToList();

    public void CreateVethPair(string hostName, string appName, string appNetns)
    {
        Mutate($"veth {hostName} {appNetns}/{appName}");
        AddLink(Host, hostName, new Link("veth") { Peer = (appNetns, appName) });
        AddLink(appNetns, appName, new Link("veth") { Peer = (Host, hostName) });
    }

    public void MoveLink(string name, string toNetns)
    {
        Mutate($"move {name} {toNetns}");
        var link = FindLink(Host, name);
        Ns(Host).Links.Remove(name);
        FlushRoutesOf(Host, name);
        link.Up = false;
        link.Addresses.Clear();
        AddLink(toNetns, name, link);
    }

    public void SetLinkUp(string? netns, string name)
    {
        Mutate($"up {Name(netns)}/{name}");
        FindLink(netns, name).Up = true;
    }

    public void SetLinkAlias(string? netns, string name, string alias)
    {
        Mutate($"alias {Name(netns)}/{name} {alias}");
        FindLink(netns, name).Alias = alias;
    }

    public void DeleteLink(string? netns, string name)
    {
        Mutate($"del {Name(netns)}/{name}");
        FindLink(netns, name);
        RemoveLink(netns ?? Host, name);
    }

    public IReadOnlyList<InterfaceAddress> ListAddresses(string? netns, string link) => FindLink(netns, link).Addresses.ToList();

    public void AddAddress(string? netns, string link, InterfaceAddress address)
    {
        Mutate($"addr add {Name(netns)}/{link} {address}");
        if (!FindLink(netns, link).Addresses.Add(address))
        {
            throw new DataplaneException($"adding {address} to {link}: File exists (EEXIST)");
        }

        Ns(netns).Routes.Add(new RouteState(address.Network, link, null, RouteOrigin.Kernel));
    }

    public void DeleteAddress(string? netns, string link, InterfaceAddress address)
    {
        Mutate($"addr del {Name(netns)}/{link} {address}");
        FindLink(netns, link).Addresses.Remove(address);
        Ns(netns).Routes.Remove(new RouteState(address.Network, link, null, RouteOrigin.Kernel));
    }

    public IReadOnlyList<RouteState> ListRoutes(string? netns) => Ns(netns).Routes.ToList();

    public void AddRoute(string? netns, RouteState route)
    {
        Mutate($"route add {Name(netns)} {route.Destination} {route.Device}");
        FindLink(netns, route.Device);
        if (!Ns(netns).Routes.Add(route))
        {
            throw new DataplaneException($"adding route {route.Destination}: File exists (EEXIST)");
        }
    }

    public void DeleteRoute(string? netns, RouteState route)
    {
        Mutate($"route del {Name(netns)} {route.Destination} {route.Device}");
        if (!Ns(netns).Routes.Remove(route))
        {
            throw new DataplaneException($"deleting route {route.Destination}: No such process (ESRCH)");
        }
    }

    public void CreateWireGuardLink(string name)
    {
        Mutate($"wg add {name}");
        AddLink(Host, name, new Link("wireguard"));
    }

    public bool SyncWireGuard(string netns, string name, WireGuardDeviceSpec desired)
    {
        var link = FindLink(netns, name);
        if (link.Device is not null && SameDevice(link.Device, desired))
        {
            return false;
        }

        Mutate($"wg set {netns}/{name}");
        WireGuardSyncs++;
        link.Device = desired;
        return true;
    }

    public string? LoadedRulesetHash(string netns) => Ns(netns).RulesetHash;

    public void ReplaceRuleset(string netns, string? ruleset)
    {
        Mutate($"nft {netns}");
        Ns(netns).RulesetHash = ruleset is null ? null : RulesetHash.Of(ruleset);
    }

    public IReadOnlyList<NatSource> ReadHostNat() => hostNat;

    public void ReplaceHostNat(IReadOnlyList<NatSource> sources)
    {
        Mutate($"nat {sources.Count}");
        hostNat = [.. sources];
    }

    /// <summary>Adds something by hand, as an administrator would, bypassing the mutation log.</summary>
    public void Tamper(Action<FakeDataplane> change)
    {
        var saved = failAtMutation;
        failAtMutation = null;
        change(this);
        Mutations.RemoveAt(Mutations.Count - 1);
        failAtMutation = saved;
    }

    public string Dump()
    {
        var text = new StringBuilder();
        foreach (var (name, ns) in namespaces.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            text.AppendLine(name == Host ? "host" : $"netns {name}");
            foreach (var (linkName, link) in ns.Links.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                var addresses = string.Join(",", link.Addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal));
                text.AppendLine($"  link {linkName} {link.Kind} {(link.Up ? "up" : "down")} alias={link.Alias} addr={addresses}{DescribeDevice(link.Device)}");
            }

            foreach (var route in ns.Routes.Select(DescribeRoute).Order(StringComparer.Ordinal))
            {
                text.AppendLine($"  route {route}");
            }

            foreach (var (key, value) in ns.Sysctls.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                text.AppendLine($"  sysctl {key}={value}");
            }

            if (ns.RulesetHash is not null)
            {
                text.AppendLine($"  ruleset {ns.RulesetHash}");
            }
        }

        foreach (var source in hostNat)
        {
            text.AppendLine($"nat {source.Source} from {source.HostInterface}");
        }

        return text.ToString();
    }

    private static string DescribeRoute(RouteState r) =>
        $"{r.Destination} dev {r.Device}{(r.Gateway is null ? "" : $" via {r.Gateway}")} proto {r.Origin}";

    private static string DescribeDevice(WireGuardDeviceSpec? d) => d is null
        ? ""
        : $" port={d.ListenPort} peers={string.Join(",", d.Peers.Select(p => $"{p.PublicKey}@{p.Endpoint}[{string.Join(" ", p.AllowedIPs)}]"))}";

    private static bool SameDevice(WireGuardDeviceSpec a, WireGuardDeviceSpec b) =>
        a.PrivateKey == b.PrivateKey && a.ListenPort == b.ListenPort && a.Peers.SequenceEqual(b.Peers, PeerComparer.Instance);

    private void Mutate(string operation)
    {
        if (failAtMutation == Mutations.Count)
        {
            failAtMutation = null;
            throw new DataplaneException($"injected failure before: {operation}");
        }

        Mutations.Add(operation);
    }

    private Netns Ns(string? name) => namespaces.TryGetValue(name ?? Host, out var ns)
        ? ns
        : throw new DataplaneException($"opening namespace {name}: No such file or directory (ENOENT)");

    private Link FindLink(string? netns, string name) => Ns(netns).Links.TryGetValue(name, out var link)
        ? link
        : throw new DataplaneException($"finding link {name} in {Name(netns)}: No such device (ENODEV)");

    private void AddLink(string netns, string name, Link link)
    {
        if (!Ns(netns).Links.TryAdd(name, link))
        {
            throw new DataplaneException($"creating link {name} in {Name(netns)}: File exists (EEXIST)");
        }
    }

    private void RemoveLink(string? netns, string name)
    {
        var ns = Ns(netns);
        if (!ns.Links.Remove(name, out var link))
        {
            return;
        }

        FlushRoutesOf(netns ?? Host, name);
        if (link.Peer is { } peer && namespaces.ContainsKey(peer.Netns))
        {
            link.Peer = null;
            RemoveLink(peer.Netns, peer.Name);
        }
    }

    private void FlushRoutesOf(string netns, string device) => Ns(netns).Routes.RemoveWhere(r => r.Device == device);

    private static string Name(string? netns) => string.IsNullOrEmpty(netns) ? "host" : netns;

    private sealed class Netns
    {
        public Dictionary<string, Link> Links { get; } = new(StringComparer.Ordinal);
        public HashSet<RouteState> Routes { get; } = [];
        public Dictionary<string, string> Sysctls { get; } = new(StringComparer.Ordinal);
        public string? RulesetHash { get; set; }
    }

    private sealed class Link(string kind)
    {
        public string Kind { get; } = kind;
        public bool Up { get; set; }
        public string? Alias { get; set; }
        public HashSet<InterfaceAddress> Addresses { get; } = [];
        public (string Netns, string Name)? Peer { get; set; }
        public WireGuardDeviceSpec? Device { get; set; }
    }

    private sealed class PeerComparer : IEqualityComparer<WireGuardPeerSpec>
    {
        public static readonly PeerComparer Instance = new();

        public bool Equals(WireGuardPeerSpec? x, WireGuardPeerSpec? y) =>
            x is not null && y is not null && x.PublicKey == y.PublicKey && Equals(x.Endpoint, y.Endpoint)
            && x.AllowedIPs.SequenceEqual(y.AllowedIPs) && x.PresharedKey == y.PresharedKey
            && x.PersistentKeepalive == y.PersistentKeepalive;

        public int GetHashCode(WireGuardPeerSpec obj) => obj.PublicKey.GetHashCode(StringComparison.Ordinal);
    }
}
