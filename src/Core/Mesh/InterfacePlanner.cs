using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using WgIsolate.Core.Api;

namespace WgIsolate.Core.Mesh;

/// <summary>
/// Plans the <see cref="NodeInterfaceSpec"/> of every instance of one app: its own settings and one peer entry
/// for every keyed instance of every app it has mutual consent with, sorted. Consent and each peer's facts are
/// worked out once per app, not once per instance, and peer entries that do not depend on the local instance
/// (links without a preshared key) are shared between the app's instances: at 100 peers per instance this is
/// what keeps a 10,000-instance mesh within its time and memory budget. Planned specs are read-only.
/// </summary>
internal sealed class InterfacePlanner(MeshOptions options)
{
    public MeshOptions Options { get; set; } = options;

    public IEnumerable<(MeshInstance Instance, NodeInterfaceSpec Spec)> PlanApp(MeshApp app, IReadOnlyDictionary<AppReference, MeshApp> apps)
    {
        var links = PeerConsent.Listed(app)
            .Where(r => !r.Equals(app.Ref) && apps.TryGetValue(r, out var peer) && PeerConsent.Lists(peer, app.Ref))
            .Order(AppOrder.Instance)
            .Select(r => apps[r])
            .Select(peer => (Peer: peer, Psk: app.Spec.PresharedKey == true || peer.Spec.PresharedKey == true, Instances: peer.Instances
                .Where(i => i.PublicKey is not null)
                .OrderBy(i => i.Name, StringComparer.Ordinal)
                .Select(i => (Instance: i, Shared: new NodePeerSpec
                {
                    App = peer.Ref,
                    Instance = i.Name,
                    PublicKey = i.PublicKey!,
                    Endpoint = Endpoint(i),
                    AllowedIPs = [$"{i.Address}/128"],
                    PersistentKeepalive = app.Spec.PersistentKeepalive,
                }))
                .ToList()))
            .ToList();

        foreach (var instance in app.Instances)
        {
            var peers = new List<NodePeerSpec>(links.Sum(l => l.Instances.Count));
            foreach (var (peer, psk, instances) in links)
            {
                foreach (var (peerInstance, shared) in instances)
                {
                    peers.Add(psk ? WithPresharedKey(shared, LinkKey(app, instance, peer, peerInstance)) : shared);
                }
            }

            yield return (instance, new NodeInterfaceSpec
            {
                App = app.Ref,
                AppId = app.AppId,
                Instance = instance.Name,
                Netns = instance.Netns,
                InterfaceName = instance.InterfaceName,
                Address = $"{instance.Address}/{instance.AddressPrefixLength}",
                ListenPort = instance.ListenPort,
                PersistentKeepalive = app.Spec.PersistentKeepalive,
                Egress = app.Spec.Egress,
                Firewall = app.Spec.Firewall,
                Ingress = app.Spec.Ingress,
                Peers = peers,
            });
        }
    }

    private NodePeerSpec WithPresharedKey(NodePeerSpec shared, string key) => new()
    {
        App = shared.App,
        Instance = shared.Instance,
        PublicKey = shared.PublicKey,
        Endpoint = shared.Endpoint,
        AllowedIPs = shared.AllowedIPs,
        PersistentKeepalive = shared.PersistentKeepalive,
        PresharedKeyRef = new SecretKeyReference { Name = Options.PresharedKeySecret, Key = key },
    };

    private string? Endpoint(MeshInstance peer) =>
        Options.NodeAddresses.TryGetValue(peer.Node, out var address)
            ? address.AddressFamily == AddressFamily.InterNetworkV6
                ? $"[{address}]:{peer.ListenPort.ToString(CultureInfo.InvariantCulture)}"
                : $"{address}:{peer.ListenPort.ToString(CultureInfo.InvariantCulture)}"
            : null;

    /// <summary>Both ends of a link derive the same key name, whichever side computes it.</summary>
    public static string LinkKey(MeshApp a, MeshInstance ai, MeshApp b, MeshInstance bi)
    {
        var ends = new[] { $"{a.Ref}/{ai.Name}", $"{b.Ref}/{bi.Name}" }.Order(StringComparer.Ordinal);
        return "psk-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", ends))))[..32];
    }
}

internal sealed class AppOrder : IComparer<AppReference>
{
    public static readonly AppOrder Instance = new();

    public int Compare(AppReference? x, AppReference? y)
    {
        var byNamespace = string.CompareOrdinal(x?.Namespace, y?.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(x?.Name, y?.Name);
    }
}
