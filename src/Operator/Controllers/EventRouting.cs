using k8s;
using k8s.Models;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Which keys an informer event makes dirty. Handlers only enqueue; the reconcilers read the cache, so it never
/// matters which event arrived, only which keys to look at.
/// </summary>
public static class EventRouting
{
    private static bool SameStatus(IsolatedNodeStatus? a, IsolatedNodeStatus? b) =>
        a is null || b is null ? a == b : KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b);

    public static void Wire(ClusterCache cache, WorkQueue appQueue, WorkQueue meshQueue)
    {
        void Mesh() => meshQueue.Add(MeshReconciler.Key);
        void App(AppReference app) => appQueue.Add(new ResourceKey(app.Namespace, app.Name));

        cache.Apps.AddHandler((oldApp, newApp) =>
        {
            var app = newApp ?? oldApp!;
            appQueue.Add(ResourceKey.Of(app));
            // The mesh reads spec (generation), existence and deletion; our own status writes change none of them.
            if (oldApp is null || newApp is null || oldApp.Metadata.Generation != newApp.Metadata.Generation
                || (oldApp.Metadata.DeletionTimestamp is null) != (newApp.Metadata.DeletionTimestamp is null))
            {
                Mesh();
            }
        });

        cache.Pods.AddHandler((oldPod, newPod) =>
        {
            // Both: a relabelled pod leaves the apps of its old labels and joins those of its new ones.
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
            Mesh();
            var node = (newNode ?? oldNode)!.Metadata.Name;
            foreach (var pod in cache.Pods.Cache.ByIndex(ClusterCache.ByNode, node))
            {
                foreach (var app in cache.AppsSelecting(pod)) appQueue.Add(ResourceKey.Of(app));
            }
        });

        cache.IsolatedNodes.AddHandler((oldNode, newNode) =>
        {
            // Agents publish keys and readiness in status: peers need the keys, apps show the readiness. Our own
            // spec writes come back here too and need nothing.
            if (oldNode is not null && newNode is not null && SameStatus(oldNode.Status, newNode.Status)) return;
            Mesh();
            var interfaces = (oldNode?.Status?.Interfaces ?? []).Concat(newNode?.Status?.Interfaces ?? []);
            foreach (var app in interfaces.Select(i => i.App).Distinct()) App(app);
        });
    }
}
