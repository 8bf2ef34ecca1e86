using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using WgIsolate.Core.Api;

namespace WgIsolate.Core.Mesh;

/// <summary>Computes one instance's <see cref="NodeInterfaceSpec"/>: its own settings and one peer entry for
/// every keyed instance of every app it has mutual consent with, sorted.</summary>
internal sealed class InterfacePlanner(MeshOptions options)
{
    public MeshOptions Options { get; set; } = options;

    public NodeInterfaceSpec Plan(MeshApp app, MeshInstance instance, IReadOnlyDictionary<AppReference, MeshApp> apps)
    {
        var peers = new List<NodePeerSpec>();
        foreach (var peerRef in PeerConsent.Listed(app).Order(AppOrder.Instance))
        {
            if (!apps.TryGetValue(peerRef, out var peerApp) || !PeerConsent.Lists(peerApp, app.Ref))
            {
                continue;
            }

            var psk = app.Spec.PresharedKey == true || peerApp.Spec.PresharedKey == true;
            foreach (var peer in peerApp.Instances.Where(i => i.PublicKey is not null).OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                peers.Add(new NodePeerSpec
                {
                    App = peerApp.Ref,
                    Instance = peer.Name,
                    PublicKey = peer.PublicKey!,
                    Endpoint = Endpoint(peer),
                    AllowedIPs = [$"{peer.Address}/128"],
                    PresharedKeyRef = psk ? new SecretKeyReference { Name = Options.PresharedKeySecret, Key = LinkKey(app, instance, peerApp, peer) } : null,
                    PersistentKeepalive = app.Spec.PersistentKeepalive,
                });
            }
        }

        return new NodeInterfaceSpec
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
        };
    }

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
