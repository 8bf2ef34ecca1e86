using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Controllers;

/// <summary>The mesh's per-app peer states, published by the mesh reconciler for app status.</summary>
public sealed class MeshView
{
    private readonly Lock _lock = new();
    private readonly Dictionary<AppReference, IReadOnlyList<PeerStatus>> _peers = [];

    public IReadOnlyList<PeerStatus>? PeersOf(AppReference app)
    {
        lock (_lock) return _peers.GetValueOrDefault(app);
    }

    /// <summary>Replaces every app's peer states; returns the apps whose states changed.</summary>
    public IReadOnlyList<AppReference> Publish(IReadOnlyDictionary<AppReference, IReadOnlyList<PeerStatus>> peers)
    {
        lock (_lock)
        {
            var gone = _peers.Keys.Where(app => !peers.ContainsKey(app)).ToDictionary(app => app, _ => (IReadOnlyList<PeerStatus>?)null);
            return UpdateLocked(peers.Select(p => KeyValuePair.Create(p.Key, (IReadOnlyList<PeerStatus>?)p.Value)).Concat(gone));
        }
    }

    /// <summary>Sets these apps' peer states (null: the app is no longer in the mesh); returns those that changed.</summary>
    public IReadOnlyList<AppReference> Update(IEnumerable<KeyValuePair<AppReference, IReadOnlyList<PeerStatus>?>> peers)
    {
        lock (_lock) return UpdateLocked(peers);
    }

    private List<AppReference> UpdateLocked(IEnumerable<KeyValuePair<AppReference, IReadOnlyList<PeerStatus>?>> peers)
    {
        var changed = new List<AppReference>();
        foreach (var (app, states) in peers)
        {
            if (SamePeers(_peers.GetValueOrDefault(app), states)) continue;
            changed.Add(app);
            if (states is null) _peers.Remove(app);
            else _peers[app] = states;
        }

        return changed;
    }

    private static bool SamePeers(IReadOnlyList<PeerStatus>? a, IReadOnlyList<PeerStatus>? b) =>
        (a ?? []).Select(Key).SequenceEqual((b ?? []).Select(Key));

    private static string Key(PeerStatus p) => $"{p.Namespace}/{p.Name}={p.State}";
}
