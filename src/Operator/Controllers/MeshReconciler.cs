using k8s;
using Microsoft.Extensions.Logging;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Metrics;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Turns the cached apps, instances, agent-published keys and node addresses into every node's IsolatedNode.spec.
/// There is one key ("mesh"): a storm of events collapses into one plan, and only nodes whose spec changed are
/// written. Preshared keys are stored before any spec refers to them and removed only after no spec does.
/// </summary>
public sealed class MeshReconciler(
    ClusterCache cache,
    IAppValidator validator,
    IAllocations allocations,
    IMeshPlanner planner,
    IIsolatedNodeStore nodes,
    IPresharedKeyStore presharedKeys,
    MeshView view,
    Action<AppReference> requestApp,
    OperatorMetrics metrics,
    ILogger<MeshReconciler> logger) : IReconciler
{
    public static readonly ResourceKey Key = new(null, "mesh");

    public string Name => "mesh";

    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var input = await BuildInputAsync(cancellationToken);
        var plan = planner.Plan(input);

        var keyEntries = plan.NodeSpecs.Values
            .SelectMany(s => s.Interfaces).SelectMany(i => i.Peers)
            .Select(p => p.PresharedKeyRef?.Key).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        await presharedKeys.EnsureAsync(keyEntries, prune: false, cancellationToken);

        var written = 0;
        var nodeNames = plan.NodeSpecs.Keys.Union(cache.IsolatedNodes.Cache.List().Select(n => n.Metadata.Name)).Order(StringComparer.Ordinal);
        foreach (var nodeName in nodeNames)
        {
            var desired = plan.NodeSpecs.GetValueOrDefault(nodeName) ?? new IsolatedNodeSpec { ClusterPrefix = input.ClusterPrefix };
            var cached = cache.IsolatedNodes.Cache.Get(new ResourceKey(null, nodeName));
            if (cached is not null && KubernetesJson.Serialize(cached.Spec) == KubernetesJson.Serialize(desired)) continue;
            if (await nodes.SetSpecAsync(nodeName, desired, cancellationToken)) written++;
        }

        await presharedKeys.EnsureAsync(keyEntries, prune: true, cancellationToken);
        foreach (var app in view.Publish(plan.PeerStates)) requestApp(app);
        var (allocatedSubnets, freeSubnets) = allocations.Capacity;
        metrics.Subnets(allocatedSubnets, freeSubnets);
        metrics.Instances(CountByState(input));
        logger.LogDebug("Mesh planned for {Apps} apps on {Nodes} nodes; wrote {Written} node specs", input.Apps.Count, plan.NodeSpecs.Count, written);
        return ReconcileResult.Done;
    }

    private async Task<MeshInput> BuildInputAsync(CancellationToken cancellationToken)
    {
        var prefix = await allocations.ClusterPrefixAsync(cancellationToken);
        var allocated = await allocations.SnapshotAsync(cancellationToken);
        var apps = new List<MeshApp>();
        foreach (var app in cache.Apps.Cache.List())
        {
            // Deleting and invalid apps take no part: their interfaces and every link to them disappear.
            if (app.Metadata.DeletionTimestamp is not null || validator.Validate(app).Count > 0) continue;
            var appRef = new AppReference { Namespace = app.Metadata.NamespaceProperty, Name = app.Metadata.Name };
            if (!allocated.TryGetValue(appRef, out var allocation)) continue;

            var instances = new List<MeshInstance>();
            foreach (var pod in cache.InstancesOf(app))
            {
                if (!allocation.Instances.TryGetValue(pod.Metadata.Name, out var instance)) continue;
                instances.Add(new MeshInstance(pod.Metadata.Name, pod.Spec.NodeName, instance, PublicKey(appRef, pod.Metadata.Name, pod.Spec.NodeName)));
            }

            apps.Add(new MeshApp(appRef, allocation.App, app.Spec, instances));
        }

        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in cache.Nodes.Cache.List())
        {
            if (NodeEndpoints.Resolve(node).Address is { } address) addresses[node.Metadata.Name] = address.ToString();
        }

        return new MeshInput(prefix, apps, addresses);
    }

    private string? PublicKey(AppReference app, string instance, string nodeName) => Realised(app, instance, nodeName)?.PublicKey;

    private NodeInterfaceStatus? Realised(AppReference app, string instance, string nodeName) =>
        cache.IsolatedNodes.Cache.Get(new ResourceKey(null, nodeName))?.Status?.Interfaces
            .FirstOrDefault(i => i.App == app && i.Instance == instance);

    private Dictionary<string, int> CountByState(MeshInput input)
    {
        var counts = InstanceStates.All.ToDictionary(s => s, _ => 0);
        foreach (var app in input.Apps)
        {
            foreach (var instance in app.Instances)
            {
                counts[InstanceStates.Of(Realised(app.Ref, instance.Name, instance.Node))]++;
            }
        }

        return counts;
    }
}
