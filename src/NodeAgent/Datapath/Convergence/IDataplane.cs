using System.Net;

using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.Convergence;

/// <summary>
/// The kernel as the converger sees it: small, synchronous, "do exactly this" operations. A null namespace means
/// the host namespace (the one the agent runs in), where WireGuard links are born and veth host ends live.
/// The Linux adapter maps each call onto netlink, the WireGuard backend and libnftables; the fake keeps state in
/// memory so convergence logic can be tested without root.
/// </summary>
public interface IDataplane
{
    string WireGuardBackend { get; }

    IReadOnlyList<string> ListNamespaces();
    /// <summary>Whether one named namespace exists: what a pass asks per app, without listing them all.</summary>
    bool NamespaceExists(string name);
    void CreateNamespace(string name);
    void DeleteNamespace(string name);
    /// <summary>Keys are paths below /proc/sys, e.g. "net/ipv4/ip_forward", read in the given namespace.</summary>
    string? GetSysctl(string? netns, string key);
    void SetSysctl(string? netns, string key, string value);

    IReadOnlyList<LinkState> ListLinks(string? netns);
    void CreateVethPair(string hostName, string appName, string appNetns);
    void MoveLink(string name, string toNetns);
    void SetLinkUp(string? netns, string name);
    void SetLinkAlias(string? netns, string name, string alias);
    void DeleteLink(string? netns, string name);

    IReadOnlyList<InterfaceAddress> ListAddresses(string? netns, string link);
    void AddAddress(string? netns, string link, InterfaceAddress address);
    void DeleteAddress(string? netns, string link, InterfaceAddress address);

    /// <summary>Routes of the main table, both families, any protocol.</summary>
    IReadOnlyList<RouteState> ListRoutes(string? netns);
    void AddRoute(string? netns, RouteState route);
    void DeleteRoute(string? netns, RouteState route);

    /// <summary>Creates the link in the host namespace so that its UDP socket stays there after the move.</summary>
    void CreateWireGuardLink(string name);

    /// <summary>Brings the device to <paramref name="desired"/> by changing only what differs
    /// (wg syncconf semantics: unchanged peers keep their sessions). Returns whether anything changed.</summary>
    bool SyncWireGuard(string netns, string name, WireGuardDeviceSpec desired);

    /// <summary>The hash of the ruleset WgIsolate last loaded into the namespace, or null when there is none.</summary>
    string? LoadedRulesetHash(string netns);

    /// <summary>Atomically replaces the namespace's whole ruleset; null flushes it.</summary>
    void ReplaceRuleset(string netns, string? ruleset);

    IReadOnlyList<NatSource> ReadHostNat();

    /// <summary>Replaces WgIsolate's NAT table on the host; an empty list removes it.</summary>
    void ReplaceHostNat(IReadOnlyList<NatSource> sources);
}

public sealed record LinkState(string Name, string Kind, bool Up, string? Alias);

/// <summary>A route in the main table. <see cref="Origin"/> tells kernel-made routes from ours.</summary>
public sealed record RouteState(IPNetwork Destination, string Device, IPAddress? Gateway, RouteOrigin Origin);

public enum RouteOrigin
{
    /// <summary>Made by the kernel for an address (prefix routes, link-local).</summary>
    Kernel,

    /// <summary>Made by WgIsolate (a private rtm_protocol number).</summary>
    WgIsolate,

    /// <summary>Anything else: someone added it by hand.</summary>
    Other,
}

/// <summary>Source prefix that leaves the host masqueraded, and the veth it arrives on.</summary>
public sealed record NatSource(IPNetwork Source, string HostInterface);
