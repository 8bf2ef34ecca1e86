using System.Net;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.KernelWireGuardVm.Probe;

public static class Scenarios
{
    public const string Namespace = "probe1";
    public const string Link = "wgp0";
    public const string DuplicateLink = "wgp1";
    private static readonly InterfaceAddress Address = InterfaceAddress.Parse("fd00::1/64");

    public static bool Setup() =>
        Run("backend-detected", DetectBackend)
        & Run("genl-family", ResolveWireGuardFamily)
        & Run("link-in-namespace", CreateLinkInNamespace)
        & Run("duplicate-link-error", DuplicateLinkIsRefused);

    public static bool Teardown() => Run("link-removal", RemoveEverything);

    /// <summary>Runs one scenario and prints its record; a failure is printed as its record and does not stop the others.</summary>
    public static bool Run(string name, Func<Action<System.Text.Json.Utf8JsonWriter>> scenario)
    {
        try
        {
            ProbeOutput.Write(name, ok: true, scenario());
            return true;
        }
        catch (Exception e)
        {
            ProbeOutput.Write(name, ok: false, json => json.WriteString("error", e.ToString()));
            return false;
        }
    }

    // Not forced: the product's own detector must find the kernel module here.
    private static Action<System.Text.Json.Utf8JsonWriter> DetectBackend()
    {
        using var host = WgIsolate.Datapath.Netlink.Route.RouteNetlink.Open();
        var (backend, reason) = WireGuardBackends.Detect(host.Links, () => new WgIsolate.Datapath.WireGuard.Kernel.KernelWireGuardBackend());
        return json =>
        {
            json.WriteString("backend", backend.Name);
            json.WriteString("reason", reason);
        };
    }

    private static Action<System.Text.Json.Utf8JsonWriter> ResolveWireGuardFamily()
    {
        using var socket = RecordingTransport.Open(NetlinkProtocol.Generic, "genl-getfamily-wireguard");
        var id = GenericFamily.ResolveId(socket, "wireguard");
        return json => json.WriteNumber("familyId", id);
    }

    // Created in the root namespace (its UDP socket stays there), then moved, as the product does.
    private static Action<System.Text.Json.Utf8JsonWriter> CreateLinkInNamespace()
    {
        using (var root = RouteNetlink.Open())
        {
            root.Links.CreateWireGuard(Link);
            NamedNetworkNamespaces.Create(Namespace);
            using var target = NamedNetworkNamespaces.Open(Namespace);
            root.Links.MoveToNetns(Link, target);
        }
        using var netns = NamedNetworkNamespaces.Open(Namespace);
        using var inside = RouteNetlink.OpenIn(netns);
        var link = inside.Links.Get(Link);
        inside.Addresses.Add(link.Index, Address);
        inside.Links.EnsureUp(Link);
        var after = inside.Links.Get(Link);
        var addresses = inside.Addresses.List(index: after.Index).Select(a => a.Address.ToString()).ToArray();
        if (after.Kind != "wireguard" || !after.IsUp || !addresses.Contains(Address.ToString()))
        {
            throw new InvalidOperationException($"read back kind={after.Kind} up={after.IsUp} addresses={string.Join(',', addresses)}");
        }
        return json =>
        {
            json.WriteString("netns", Namespace);
            json.WriteString("link", after.Name);
            json.WriteString("kind", after.Kind);
            json.WriteBoolean("up", after.IsUp);
            json.WriteStartArray("addresses");
            foreach (var address in addresses) json.WriteStringValue(address);
            json.WriteEndArray();
        };
    }

    private static Action<System.Text.Json.Utf8JsonWriter> DuplicateLinkIsRefused()
    {
        using var root = RouteNetlink.Open();
        root.Links.CreateWireGuard(DuplicateLink);
        using var recorded = new RouteNetlink(RecordingTransport.Open(NetlinkProtocol.Route, "rtm-newlink-duplicate"));
        try
        {
            recorded.Links.CreateWireGuard(DuplicateLink);
            throw new InvalidOperationException($"creating {DuplicateLink} twice succeeded");
        }
        catch (NetlinkException e)
        {
            return json => ProbeOutput.NetlinkError(json, e);
        }
        finally
        {
            root.Links.DeleteIfExists(DuplicateLink);
        }
    }

    private static Action<System.Text.Json.Utf8JsonWriter> RemoveEverything()
    {
        using (var netns = NamedNetworkNamespaces.Open(Namespace))
        using (var inside = RouteNetlink.OpenIn(netns))
        {
            inside.Links.DeleteIfExists(Link);
        }
        NamedNetworkNamespaces.Delete(Namespace);
        using var root = RouteNetlink.Open();
        var leftovers = root.Links.List().Where(l => l.Kind == "wireguard").Select(l => l.Name).ToArray();
        var namespaces = NamedNetworkNamespaces.List();
        if (leftovers.Length > 0 || namespaces.Count > 0)
        {
            throw new InvalidOperationException($"left behind links [{string.Join(',', leftovers)}] namespaces [{string.Join(',', namespaces)}]");
        }
        return json => json.WriteNumber("wireguardLinksLeft", 0);
    }
}
