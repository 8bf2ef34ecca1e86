using System.Collections.Concurrent;
using k8s;
using Microsoft.Extensions.Logging;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Metrics;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Turns the cached apps, instances, agent-published keys and node addresses into every node's IsolatedNode.spec.
/// There is one key ("mesh"); <see cref="MeshRequests"/> says what changed since the last run. The mesh is built
/// whole on the first run and on every resync, and otherwise changed one app or node address at a time, so a pod
/// change costs what it touches, not what the cluster holds. Only nodes whose spec changed are written, compared by
/// digest with the cached spec (or with what this reconciler wrote and the cache has not seen yet, which also tells
/// the event routing our own spec writes from anyone else's, so that those are written over); a write sends only
/// its changes against the spec last written there (<see cref="NodeSpecBasis"/>). Preshared keys
/// are stored before any spec refers to them and removed only after no spec does. Allocations come from
/// <see cref="IAllocations"/>, which hands out only persisted ones.
/// </summary>
public sealed class MeshReconciler(
    ClusterCache cache,
    IAppValidator validator,
    IAllocations allocations,
    IMeshPlanner planner,
    IIsolatedNodeStore nodes,
    NodeSpecWrites ownWrites,
    IPresharedKeyStore presharedKeys,
    MeshView view,
    MeshRequests requests,
    Action<AppReference> requestApp,
    OperatorMetrics metrics,
    ILogger<MeshReconciler> logger) : IReconciler
{
    public static readonly ResourceKey Key = new(null, "mesh");

    // Node writes in flight at once: the API server works on several while this process serialises the next.
    private const int ParallelWrites = 4;

    private readonly Dictionary<AppReference, MeshApp> _apps = [];
    private readonly HashSet<string> _unwritten = new(StringComparer.Ordinal);

    // Per node, the spec this reconciler last wrote or found there and its generation: the basis the next write
    // sends its changes against. The cache cannot serve, as it keeps specs without their peers; these share
    // their interfaces with the planner, so keeping them costs the replaced interfaces only.
    private readonly ConcurrentDictionary<string, WrittenSpec> _written = new(StringComparer.Ordinal);
    private bool _built;
    private string _clusterPrefix = "";
    private IReadOnlySet<string>? _storedKeys;

    public string Name => "mesh";

    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        if (requests.BatchDelay() is { } delay) return ReconcileResult.After(delay);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var work = requests.Take();
        IReadOnlyCollection<AppReference> peerStatesChanged;
        try
        {
            peerStatesChanged = !_built || work.All ? await BuildAsync(cancellationToken) : await UpdateAsync(work, cancellationToken);
        }
        catch
        {
            requests.Return(work);
            throw;
        }

        var keyEntries = PresharedKeyEntries();
        var keysChanged = _storedKeys is null || !_storedKeys.SetEquals(keyEntries);
        if (keysChanged) await presharedKeys.EnsureAsync(keyEntries, prune: false, cancellationToken);
        var written = await WriteNodesAsync(cancellationToken);
        if (keysChanged)
        {
            await presharedKeys.EnsureAsync(keyEntries, prune: true, cancellationToken);
            _storedKeys = keyEntries;
        }

        var updates = peerStatesChanged.Select(app =>
            KeyValuePair.Create(app, _apps.ContainsKey(app) ? planner.PeerStates(app) : (IReadOnlyList<PeerStatus>?)null));
        foreach (var app in view.Update(updates)) requestApp(app);
        requests.RoundTook(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        var (allocatedSubnets, freeSubnets) = allocations.Capacity;
        metrics.Subnets(allocatedSubnets, freeSubnets);
        metrics.Instances(CountByState());
        logger.LogDebug("Mesh of {Apps} apps on {Nodes} nodes: wrote {Written} node specs", _apps.Count, planner.Nodes.Count, written);
        return ReconcileResult.Done;
    }

    private async Task<IReadOnlyCollection<AppReference>> BuildAsync(CancellationToken cancellationToken)
    {
        _clusterPrefix = await allocations.ClusterPrefixAsync(cancellationToken);
        var apps = new List<MeshApp>();
        foreach (var app in cache.Apps.Cache.List())
        {
            if (await MeshAppAsync(app, cancellationToken) is { } meshApp) apps.Add(meshApp);
        }

        planner.Build(_clusterPrefix, NodeAddresses(), apps);
        var before = _apps.Keys.ToList();
        _apps.Clear();
        foreach (var app in apps) _apps[app.Ref] = app;
        // The cache is the truth again: specs are compared with it alone, and every node is looked at.
        ownWrites.Clear();
        _storedKeys = null;
        _unwritten.UnionWith(planner.Nodes);
        _unwritten.UnionWith(cache.IsolatedNodes.Cache.List().Select(n => n.Metadata.Name));
        _built = true;
        return [.. before.Union(_apps.Keys)];
    }

    private async Task<IReadOnlyCollection<AppReference>> UpdateAsync(MeshWork work, CancellationToken cancellationToken)
    {
        var peerStatesChanged = new HashSet<AppReference>();
        void Apply(Core.Mesh.MeshUpdate update)
        {
            _unwritten.UnionWith(update.TouchedNodes);
            peerStatesChanged.UnionWith(update.AppsWithChangedPeerStates);
        }

        foreach (var node in work.Addresses)
        {
            Apply(planner.SetNodeAddress(node, NodeAddress(node)));
        }

        foreach (var appRef in work.Apps)
        {
            var app = cache.Apps.Cache.Get(new ResourceKey(appRef.Namespace, appRef.Name));
            var desired = app is null ? null : await MeshAppAsync(app, cancellationToken);
            if (desired is null)
            {
                if (_apps.Remove(appRef)) Apply(planner.Remove(appRef));
            }
            else if (!_apps.TryGetValue(appRef, out var current) || !Same(current, desired))
            {
                _apps[appRef] = desired;
                Apply(planner.Upsert(desired));
            }
        }

        foreach (var node in work.Specs)
        {
            // The object went away or was changed by someone else: compare with the cache alone.
            ownWrites.Forget(node);
            _unwritten.Add(node);
        }

        return peerStatesChanged;
    }

    /// <summary>The app as it takes part in the mesh, or null: deleting and invalid apps take no part (their
    /// interfaces and every link to them disappear), nor do apps without a persisted allocation yet.</summary>
    private async Task<MeshApp?> MeshAppAsync(V1Alpha1IsolatedApp app, CancellationToken cancellationToken)
    {
        if (app.Metadata.DeletionTimestamp is not null || validator.Validate(app).Count > 0) return null;
        var appRef = new AppReference { Namespace = app.Metadata.NamespaceProperty, Name = app.Metadata.Name };
        if (await allocations.FindAsync(appRef, cancellationToken) is not { } allocation) return null;

        var instances = new List<MeshInstance>();
        foreach (var pod in cache.InstancesOf(app).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (!allocation.Instances.TryGetValue(pod.Metadata.Name, out var instance)) continue;
            instances.Add(new MeshInstance(pod.Metadata.Name, pod.Spec.NodeName, instance, Realised(appRef, pod.Metadata.Name, pod.Spec.NodeName)?.PublicKey));
        }

        return new MeshApp(appRef, allocation.App, app.Spec, instances);
    }

    private static bool Same(MeshApp a, MeshApp b) =>
        a.Allocation == b.Allocation && a.Instances.SequenceEqual(b.Instances) && KubernetesJson.Serialize(a.Spec) == KubernetesJson.Serialize(b.Spec);

    /// <summary>Writes every node whose planned spec may differ from the API; one that fails stays for the retry.</summary>
    private async Task<int> WriteNodesAsync(CancellationToken cancellationToken)
    {
        var planned = new HashSet<string>(planner.Nodes, StringComparer.Ordinal);
        var pending = _unwritten
            .Select(node => (Node: node, Cached: cache.IsolatedNodes.Cache.Get(new ResourceKey(null, node))))
            // A node with nothing planned and no object needs none.
            .Where(n => planned.Contains(n.Node) || n.Cached is not null)
            .Select(n => (n.Node, n.Cached, Spec: planned.Contains(n.Node) ? planner.NodeSpec(n.Node) : new IsolatedNodeSpec { ClusterPrefix = _clusterPrefix }))
            .ToList();
        var done = new ConcurrentBag<string>(_unwritten.Except(pending.Select(p => p.Node)));
        var written = 0;
        try
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = ParallelWrites, CancellationToken = cancellationToken },
                async (p, token) =>
                {
                    var digest = NodeSpecDigest.Of(p.Spec);
                    if (p.Cached is not null && NodeSpecDigest.Of(p.Cached) == digest)
                    {
                        // Already there. A write of ours still in flight would then be a change to undo when it comes back.
                        ownWrites.Forget(p.Node);
                        if (p.Cached.Metadata.Generation is { } generation) _written[p.Node] = new WrittenSpec(p.Spec, generation);
                    }
                    else if (!(p.Cached is not null && ownWrites.LastSent(p.Node, digest)))
                    {
                        // Recorded before the write, so its watch event, however early, is recognised as ours.
                        ownWrites.Sent(p.Node, digest);
                        try
                        {
                            var generation = await nodes.SetSpecAsync(p.Node, p.Spec, Basis(p.Node), exists: p.Cached is not null, token);
                            _written[p.Node] = new WrittenSpec(p.Spec, generation);
                        }
                        catch
                        {
                            // Landed or not, the retry compares with the cache alone.
                            ownWrites.Forget(p.Node);
                            _written.TryRemove(p.Node, out _);
                            throw;
                        }

                        Interlocked.Increment(ref written);
                    }

                    done.Add(p.Node);
                });
        }
        finally
        {
            _unwritten.ExceptWith(done);
        }

        return written;
    }

    /// <summary>What the node holds as far as this reconciler knows: the spec it last wrote or found there. The
    /// store's precondition on its generation catches any spec change since.</summary>
    private NodeSpecBasis? Basis(string node) =>
        _written.TryGetValue(node, out var last) ? new NodeSpecBasis(last.Spec, last.Generation) : null;

    private HashSet<string> PresharedKeyEntries()
    {
        // Links get a key when either end asks for one; without such an app there is nothing to look for.
        if (!_apps.Values.Any(a => a.Spec.PresharedKey == true)) return [];
        return planner.Nodes.Select(planner.NodeSpec)
            .SelectMany(s => s.Interfaces).SelectMany(i => i.Peers)
            .Select(p => p.PresharedKeyRef?.Key).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }

    private Dictionary<string, string> NodeAddresses()
    {
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in cache.Nodes.Cache.List())
        {
            if (NodeEndpoints.Resolve(node).Address is { } address) addresses[node.Metadata.Name] = address.ToString();
        }

        return addresses;
    }

    private string? NodeAddress(string node) =>
        cache.Nodes.Cache.Get(new ResourceKey(null, node)) is { } cached ? NodeEndpoints.Resolve(cached).Address?.ToString() : null;

    private NodeInterfaceStatus? Realised(AppReference app, string instance, string nodeName) =>
        cache.IsolatedNodes.Cache.Get(new ResourceKey(null, nodeName))?.Status?.Interfaces
            .FirstOrDefault(i => i.App == app && i.Instance == instance);

    private sealed record WrittenSpec(IsolatedNodeSpec Spec, long Generation);

    private Dictionary<string, int> CountByState()
    {
        var realised = new Dictionary<(AppReference, string, string), NodeInterfaceStatus>();
        foreach (var node in cache.IsolatedNodes.Cache.List())
        {
            foreach (var i in node.Status?.Interfaces ?? []) realised.TryAdd((i.App, i.Instance, node.Metadata.Name), i);
        }

        var counts = InstanceStates.All.ToDictionary(s => s, _ => 0);
        foreach (var app in _apps.Values)
        {
            foreach (var instance in app.Instances)
            {
                counts[InstanceStates.Of(realised.GetValueOrDefault((app.Ref, instance.Name, instance.Node)))]++;
            }
        }

        return counts;
    }
}
