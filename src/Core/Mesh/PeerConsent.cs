using WgIsolate.Core.Api;

namespace WgIsolate.Core.Mesh;

/// <summary>Mutual consent: A and B are peers only when each lists the other.</summary>
public static class PeerConsent
{
    public static AppReference Resolve(AppReference owner, PeerReference peer) =>
        new() { Namespace = peer.Namespace ?? owner.Namespace, Name = peer.Name };

    public static IEnumerable<AppReference> Listed(MeshApp app) => app.Spec.Peers.Select(p => Resolve(app.Ref, p)).Distinct();

    // Called for every pair the mesh considers: compare in place rather than build references.
    public static bool Lists(MeshApp app, AppReference other) =>
        app.Spec.Peers.Any(p => p.Name == other.Name && (p.Namespace ?? app.Ref.Namespace) == other.Namespace);

    public static IReadOnlyList<PeerStatus> States(MeshApp app, IReadOnlyDictionary<AppReference, MeshApp> apps) =>
        Listed(app)
            .Select(target => new PeerStatus
            {
                Namespace = target.Namespace,
                Name = target.Name,
                State = !apps.TryGetValue(target, out var other) ? PeerStates.NotFound
                    : Lists(other, app.Ref) ? PeerStates.Connected
                    : PeerStates.WaitingForAcceptance,
            })
            .OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
}
