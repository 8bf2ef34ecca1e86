using k8s;
using k8s.Models;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Kube;

/// <summary>The list and watch calls of every resource the operator caches, all across namespaces; watches with bookmarks.</summary>
public static class KubeSources
{
    public static IResourceSource<V1Pod> Pods(Kubernetes client) =>
        new KubeResourceSource<V1Pod, V1PodList>("pods",
            ct => client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(cancellationToken: ct), Watch(client, "api/v1/pods"));

    public static IResourceSource<V1Node> Nodes(Kubernetes client) =>
        new KubeResourceSource<V1Node, V1NodeList>("nodes",
            ct => client.CoreV1.ListNodeWithHttpMessagesAsync(cancellationToken: ct), Watch(client, "api/v1/nodes"));

    public static IResourceSource<V1Alpha1IsolatedApp> IsolatedApps(Kubernetes client) =>
        Custom<V1Alpha1IsolatedApp>(client, V1Alpha1IsolatedApp.KubePluralName);

    public static IResourceSource<V1Alpha1IsolatedNode> IsolatedNodes(Kubernetes client) =>
        Custom<V1Alpha1IsolatedNode>(client, V1Alpha1IsolatedNode.KubePluralName);

    // The cluster-wide path lists a namespaced custom resource across all namespaces, as kubectl get -A does.
    private static IResourceSource<T> Custom<T>(Kubernetes client, string plural) where T : IKubernetesObject<V1ObjectMeta> =>
        new KubeResourceSource<T, CustomResourceList<T>>(plural,
            ct => client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<CustomResourceList<T>>(ApiGroup.Group, ApiGroup.Version, plural, cancellationToken: ct),
            Watch(client, $"apis/{ApiGroup.Group}/{ApiGroup.Version}/{plural}"));

    private static KubeWatchCall Watch(Kubernetes client, string path)
    {
        var http = new KubeHttp(client);
        return (rv, timeout, ct) => http.WatchAsync(path, rv, timeout, ct);
    }
}
