using k8s;
using k8s.Models;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Kube;

/// <summary>The list/watch calls of every resource the operator caches, all with bookmarks and across namespaces.</summary>
public static class KubeSources
{
    public static IResourceSource<V1Pod> Pods(IKubernetes client) =>
        new KubeResourceSource<V1Pod, V1PodList>("pods", (watch, rv, timeout, ct) =>
            client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(
                allowWatchBookmarks: watch ? true : null, resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceSource<V1Node> Nodes(IKubernetes client) =>
        new KubeResourceSource<V1Node, V1NodeList>("nodes", (watch, rv, timeout, ct) =>
            client.CoreV1.ListNodeWithHttpMessagesAsync(
                allowWatchBookmarks: watch ? true : null, resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceSource<V1Alpha1IsolatedApp> IsolatedApps(IKubernetes client) =>
        Custom<V1Alpha1IsolatedApp>(client, V1Alpha1IsolatedApp.KubePluralName);

    public static IResourceSource<V1Alpha1IsolatedNode> IsolatedNodes(IKubernetes client) =>
        Custom<V1Alpha1IsolatedNode>(client, V1Alpha1IsolatedNode.KubePluralName);

    // The cluster-wide path lists a namespaced custom resource across all namespaces, as kubectl get -A does.
    private static IResourceSource<T> Custom<T>(IKubernetes client, string plural) where T : IKubernetesObject<V1ObjectMeta> =>
        new KubeResourceSource<T, CustomResourceList<T>>(plural, (watch, rv, timeout, ct) =>
            client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<CustomResourceList<T>>(
                ApiGroup.Group, ApiGroup.Version, plural,
                allowWatchBookmarks: watch ? true : null, resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));
}
