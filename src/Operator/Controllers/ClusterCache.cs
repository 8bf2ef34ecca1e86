using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// The informers of everything the operator reads, with the lookups reconcilers need: pods by node and namespace,
/// apps by namespace, and the apps that select a given pod. One per process, shared by every controller.
/// </summary>
public sealed class ClusterCache
{
    public const string ByNode = "node";
    public const string ByNamespace = "namespace";
    public const string ByLabel = "label";
    public const string BySelectorLabel = "selector-label";

    public ClusterCache(Kubernetes client, InformerOptions options, TimeProvider time, ILoggerFactory loggers)
        : this(KubeSources.IsolatedApps(client), KubeSources.Pods(client), KubeSources.Nodes(client), KubeSources.IsolatedNodes(client),
            options, time, loggers)
    {
    }

    public ClusterCache(IResourceSource<V1Alpha1IsolatedApp> apps, IResourceSource<V1Pod> pods, IResourceSource<V1Node> nodes,
        IResourceSource<V1Alpha1IsolatedNode> isolatedNodes, InformerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        Apps = new(apps, options, time, loggers.CreateLogger("Informer.IsolatedApps"));
        Pods = new(pods, options, time, loggers.CreateLogger("Informer.Pods"), Trim);
        Nodes = new(nodes, options, time, loggers.CreateLogger("Informer.Nodes"));
        IsolatedNodes = new(isolatedNodes, options, time, loggers.CreateLogger("Informer.IsolatedNodes"), NodeSpecDigest.Trim);
        Apps.Cache.AddIndex(ByNamespace, a => [a.Metadata.NamespaceProperty]);
        Apps.Cache.AddIndex(BySelectorLabel, a => [SelectorLabelKey(a)]);
        Pods.Cache.AddIndex(ByNamespace, p => [p.Metadata.NamespaceProperty]);
        Pods.Cache.AddIndex(ByNode, p => p.Spec?.NodeName is { Length: > 0 } node ? [node] : []);
        Pods.Cache.AddIndex(ByLabel, p => p.Metadata.Labels?.Select(l => LabelKey(p.Metadata.NamespaceProperty, l.Key, l.Value)) ?? []);
        All = [Apps, Pods, Nodes, IsolatedNodes];
    }

    public ResourceInformer<V1Alpha1IsolatedApp> Apps { get; }
    public ResourceInformer<V1Pod> Pods { get; }
    public ResourceInformer<V1Node> Nodes { get; }
    public ResourceInformer<V1Alpha1IsolatedNode> IsolatedNodes { get; }
    public IReadOnlyList<IInformer> All { get; }

    public bool HasSynced => All.All(i => i.HasSynced);

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(All.Select(i => i.RunAsync(cancellationToken)));

    /// <summary>Apps in the pod's namespace whose selector matches the pod's labels: those whose first matchLabels
    /// label the pod has, and those without matchLabels (every pod event, against 1,000 apps at the scale).</summary>
    public IEnumerable<V1Alpha1IsolatedApp> AppsSelecting(V1Pod pod)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var candidates = (pod.Metadata.Labels ?? new Dictionary<string, string>())
            .SelectMany(l => Apps.Cache.ByIndex(BySelectorLabel, LabelKey(ns, l.Key, l.Value)))
            .Concat(Apps.Cache.ByIndex(BySelectorLabel, WithoutMatchLabelsKey(ns)));
        return candidates.Where(app => LabelSelectors.Matches(app.Spec.Selector, pod.Metadata.Labels));
    }

    // An app is filed under its selector's first matchLabels label, which every pod it selects has; one without
    // matchLabels under its namespace's empty label, which every pod of the namespace is checked against.
    private static string SelectorLabelKey(V1Alpha1IsolatedApp app) => FirstSelectorLabelKey(app) ?? WithoutMatchLabelsKey(app.Metadata.NamespaceProperty);

    private static string WithoutMatchLabelsKey(string ns) => LabelKey(ns, "", "");

    // The label every pod the app selects carries, if its selector has matchLabels: the app is filed under it and
    // its instances are looked up by it.
    private static string? FirstSelectorLabelKey(V1Alpha1IsolatedApp app) =>
        app.Spec.Selector?.MatchLabels?.FirstOrDefault() is { Key: not null } first ? LabelKey(app.Metadata.NamespaceProperty, first.Key, first.Value) : null;

    /// <summary>The app's instances: its selected pods that are scheduled, not finished and not being deleted. A
    /// selector with matchLabels looks at the pods carrying its first label only, not at every pod of the namespace
    /// (10,000 at the scale, for every app reconcile and mesh update).</summary>
    public IEnumerable<V1Pod> InstancesOf(V1Alpha1IsolatedApp app)
    {
        var candidates = FirstSelectorLabelKey(app) is { } label
            ? Pods.Cache.ByIndex(ByLabel, label)
            : Pods.Cache.ByIndex(ByNamespace, app.Metadata.NamespaceProperty);
        return candidates.Where(pod => IsInstance(pod) && LabelSelectors.Matches(app.Spec.Selector, pod.Metadata.Labels));
    }

    // Namespaces have no '/' and label keys and values no '=': one string names a label of a namespace's pods.
    private static string LabelKey(string ns, string key, string value) => $"{ns}/{key}={value}";

    /// <summary>
    /// Pods are watched cluster-wide (one watch cannot follow the changing union of every app's selector), so only
    /// the fields the operator reads are kept: at 10,000 pods whole pod objects would dominate the memory.
    /// </summary>
    public static V1Pod Trim(V1Pod pod) => new()
    {
        ApiVersion = pod.ApiVersion,
        Kind = pod.Kind,
        Metadata = new V1ObjectMeta
        {
            Name = pod.Metadata.Name,
            NamespaceProperty = pod.Metadata.NamespaceProperty,
            Uid = pod.Metadata.Uid,
            ResourceVersion = pod.Metadata.ResourceVersion,
            Labels = pod.Metadata.Labels,
            DeletionTimestamp = pod.Metadata.DeletionTimestamp,
        },
        Spec = new V1PodSpec { NodeName = pod.Spec?.NodeName, Containers = [] },
        Status = new V1PodStatus { Phase = pod.Status?.Phase },
    };

    public static bool IsInstance(V1Pod pod) =>
        !string.IsNullOrEmpty(pod.Spec?.NodeName)
        && pod.Metadata.DeletionTimestamp is null
        && pod.Status?.Phase is not ("Succeeded" or "Failed");
}
