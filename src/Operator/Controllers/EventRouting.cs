using k8s.Models;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Which keys an informer event makes dirty, and what the mesh must look at again. Handlers only enqueue; the
/// reconcilers read the cache, so it never matters which event arrived, only which keys to look at.
/// </summary>
public static class EventRouting
{
    /// <param name="ownWrites">The mesh's IsolatedNode spec writes, to tell them coming back from anyone else's.</param>
    public static void Wire(ClusterCache cache, WorkQueue appQueue, MeshRequests mesh, NodeSpecWrites ownWrites)
    {
        void App(AppReference app) => appQueue.Add(new ResourceKey(app.Namespace, app.Name));

        cache.Apps.AddHandler((oldApp, newApp) =>
        {
            var app = newApp ?? oldApp!;
            appQueue.Add(ResourceKey.Of(app));
            if (ReferenceEquals(oldApp, newApp))
            {
                // Periodic resync: plan the whole mesh again, which heals anything an incremental update missed.
                mesh.All();
                return;
            }

            // The mesh reads spec (generation), existence and deletion; our own status writes change none of them.
            if (oldApp is null || newApp is null || oldApp.Metadata.Generation != newApp.Metadata.Generation
                || (oldApp.Metadata.DeletionTimestamp is null) != (newApp.Metadata.DeletionTimestamp is null))
            {
                mesh.App(new AppReference { Namespace = app.Metadata.NamespaceProperty, Name = app.Metadata.Name });
            }
        });

        cache.Pods.AddHandler((oldPod, newPod) =>
        {
            // Both: a relabelled pod leaves the apps of its old labels and joins those of its new ones. The app
            // reconciler allocates for the pod, then asks the mesh to look at the app.
            foreach (var pod in new[] { oldPod, newPod }.OfType<V1Pod>())
            {
                foreach (var app in cache.AppsSelecting(pod)) appQueue.Add(ResourceKey.Of(app));
            }
        });

        cache.Nodes.AddHandler((oldNode, newNode) =>
        {
            // Kubelets rewrite node status all the time; only a changed endpoint address matters here. It is every
            // endpoint pointing at the node, and the status of apps with instances there shows those endpoints.
            if (oldNode is not null && newNode is not null && NodeEndpoints.Resolve(oldNode).Equals(NodeEndpoints.Resolve(newNode))) return;
            var node = (newNode ?? oldNode)!.Metadata.Name;
            mesh.NodeAddress(node);
            foreach (var pod in cache.Pods.Cache.ByIndex(ClusterCache.ByNode, node))
            {
                foreach (var app in cache.AppsSelecting(pod)) appQueue.Add(ResourceKey.Of(app));
            }
        });

        cache.IsolatedNodes.AddHandler((oldNode, newNode) =>
        {
            if (newNode is null)
            {
                // Deleted under the operator's feet: written again if anything is planned there.
                mesh.NodeSpec(oldNode!.Metadata.Name);
                return;
            }

            // The spec is the operator's: our own writes come back here and need nothing; anyone else's (an operator
            // that died with writes in flight, a hand edit) the mesh compares with its plan and writes over.
            var digest = NodeSpecDigest.Of(newNode);
            if ((oldNode is null || NodeSpecDigest.Of(oldNode) != digest) && !ownWrites.ComesBack(newNode.Metadata.Name, digest))
            {
                mesh.NodeSpec(newNode.Metadata.Name);
            }

            // Agents publish keys and readiness in status: peers need the keys (the mesh re-plans the apps whose keys
            // changed), apps show the readiness.
            var before = Reported(oldNode);
            var after = Reported(newNode);
            foreach (var app in before.Keys.Union(after.Keys).Where(i => before.GetValueOrDefault(i) != after.GetValueOrDefault(i)).Select(i => i.App).Distinct())
            {
                mesh.App(app);
            }

            foreach (var app in ChangedInterfaces(oldNode?.Status, newNode.Status)) App(app);
        });
    }

    private static Dictionary<(AppReference App, string Instance), string?> Reported(V1Alpha1IsolatedNode? node)
    {
        var keys = new Dictionary<(AppReference, string), string?>();
        foreach (var i in node?.Status?.Interfaces ?? []) keys.TryAdd((i.App, i.Instance), i.PublicKey);
        return keys;
    }

    /// <summary>Apps with an interface whose reported state (key, readiness, error, peers) differs.</summary>
    private static IEnumerable<AppReference> ChangedInterfaces(IsolatedNodeStatus? before, IsolatedNodeStatus? after)
    {
        static Dictionary<(AppReference, string), string> Of(IsolatedNodeStatus? status) =>
            (status?.Interfaces ?? []).GroupBy(i => (i.App, i.Instance)).ToDictionary(g => g.Key, g => k8s.KubernetesJson.Serialize(g.First()));

        var a = Of(before);
        var b = Of(after);
        return a.Keys.Union(b.Keys).Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k)).Select(k => k.Item1).Distinct();
    }
}
