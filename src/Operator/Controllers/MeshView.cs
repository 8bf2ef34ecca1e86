using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Controllers;

/// <summary>The last mesh plan's per-app peer states, published by the mesh reconciler for app status.</summary>
public sealed class MeshView
{
    private volatile IReadOnlyDictionary<AppReference, IReadOnlyList<PeerStatus>> _peers = new Dictionary<AppReference, IReadOnlyList<PeerStatus>>();

    public IReadOnlyList<PeerStatus>? PeersOf(AppReference app) => _peers.GetValueOrDefault(app);

    /// <summary>Publishes new peer states and returns the apps whose states changed.</summary>
    public IReadOnlyList<AppReference> Publish(IReadOnlyDictionary<AppReference, IReadOnlyList<PeerStatus>> peers)
    {
        var before = _peers;
        _peers = peers;
        return [.. peers.Keys.Union(before.Keys).Where(app => !SamePeers(before.GetValueOrDefault(app), peers.GetValueOrDefault(app)))];
    }

    private static bool SamePeers(IReadOnlyList<PeerStatus>? a, IReadOnlyList<PeerStatus>? b) =>
        (a ?? []).Select(Key).SequenceEqual((b ?? []).Select(Key));

    private static string Key(PeerStatus p) => $"{p.Namespace}/{p.Name}={p.State}";
}
