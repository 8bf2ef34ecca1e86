using System.Net;
using WgIsolate.Core.Api;

namespace WgIsolate.Core.Mesh;

/// <summary>
/// The desired <see cref="IsolatedNodeSpec"/> of every node, kept up to date incrementally. A change to one app
/// re-plans only the instances whose peer lists can change — the app's own and those of the apps it has (or had)
/// mutual consent with — so the work follows the size of the change, not of the cluster. Output is sorted and
/// deterministic: the same inputs give the same specs in any order of updates (a property test holds it to
/// equality with a full <see cref="Build"/>). Specs handed out share peer entries between instances: read-only.
/// </summary>
public sealed class MeshState
{
    private readonly InterfacePlanner planner;
    private readonly Dictionary<AppReference, MeshApp> apps = [];
    private readonly Dictionary<AppReference, HashSet<AppReference>> listedBy = [];
    private readonly Dictionary<string, SortedDictionary<string, NodeInterfaceSpec>> nodes = new(StringComparer.Ordinal);
    private MeshOptions options;

    private MeshState(MeshOptions options)
    {
        this.options = options;
        planner = new InterfacePlanner(options);
    }

    /// <summary>How many instance interfaces were planned so far: what incremental updates keep small.</summary>
    public long InstancesPlanned { get; private set; }

    public IReadOnlyCollection<string> Nodes => nodes.Keys;

    public IReadOnlyDictionary<AppReference, MeshApp> Apps => apps;

    public static MeshState Build(MeshOptions options, IEnumerable<MeshApp> apps)
    {
        var state = new MeshState(options);
        foreach (var app in apps)
        {
            state.Index(app);
        }

        foreach (var app in state.apps.Values)
        {
            state.PlanInstancesOf(app, null);
        }

        return state;
    }

    public IsolatedNodeSpec NodeSpec(string node) => new()
    {
        ClusterPrefix = options.ClusterPrefix.ToString(),
        Interfaces = nodes.TryGetValue(node, out var interfaces) ? [.. interfaces.Values] : [],
    };

    public IReadOnlyList<PeerStatus> PeerStates(AppReference app) =>
        apps.TryGetValue(app, out var a) ? PeerConsent.States(a, apps) : [];

    /// <summary>Adds or replaces one app (spec, id, instances, keys) and re-plans what that can change.</summary>
    public MeshUpdate Upsert(MeshApp app)
    {
        apps.TryGetValue(app.Ref, out var old);
        var affected = MutualPeers(old).Concat(MutualPeers(app)).ToHashSet();
        if (old is not null)
        {
            Unindex(old);
        }

        Index(app);
        affected.UnionWith(MutualPeers(app));
        var touched = new HashSet<string>(StringComparer.Ordinal);
        PlanInstancesOf(app, old, touched);
        foreach (var peer in affected.Where(p => !p.Equals(app.Ref)))
        {
            PlanInstancesOf(apps[peer], apps[peer], touched);
        }

        return new MeshUpdate(touched, PeerStateChanges(app.Ref));
    }

    public MeshUpdate Remove(AppReference appRef)
    {
        if (!apps.TryGetValue(appRef, out var old))
        {
            return new MeshUpdate(new HashSet<string>(), new HashSet<AppReference>());
        }

        var affected = MutualPeers(old).ToList();
        Unindex(old);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        RemoveInstances(old, keep: null, touched);
        foreach (var peer in affected)
        {
            PlanInstancesOf(apps[peer], apps[peer], touched);
        }

        return new MeshUpdate(touched, PeerStateChanges(appRef));
    }

    /// <summary>A node's reachable address changed: every instance that peers with one on that node gets the new endpoint.</summary>
    public MeshUpdate SetNodeAddress(string node, IPAddress? address)
    {
        var addresses = new Dictionary<string, IPAddress>(options.NodeAddresses, StringComparer.Ordinal);
        if (address is null)
        {
            addresses.Remove(node);
        }
        else
        {
            addresses[node] = address;
        }

        options = options with { NodeAddresses = addresses };
        planner.Options = options;
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var onNode = apps.Values.Where(a => a.Instances.Any(i => i.Node == node)).ToList();
        foreach (var peer in onNode.SelectMany(MutualPeers).Distinct().ToList())
        {
            PlanInstancesOf(apps[peer], apps[peer], touched);
        }

        return new MeshUpdate(touched, new HashSet<AppReference>());
    }

    private HashSet<AppReference> PeerStateChanges(AppReference app)
    {
        var changed = new HashSet<AppReference> { app };
        if (listedBy.TryGetValue(app, out var listers))
        {
            changed.UnionWith(listers.Where(apps.ContainsKey));
        }

        return changed;
    }

    /// <summary>Apps with mutual consent with <paramref name="app"/> in the current state.</summary>
    private IEnumerable<AppReference> MutualPeers(MeshApp? app) => app is null
        ? []
        : PeerConsent.Listed(app).Where(p => !p.Equals(app.Ref) && apps.TryGetValue(p, out var other) && PeerConsent.Lists(other, app.Ref));

    private void Index(MeshApp app)
    {
        apps[app.Ref] = app;
        foreach (var target in PeerConsent.Listed(app))
        {
            if (!listedBy.TryGetValue(target, out var listers))
            {
                listedBy[target] = listers = [];
            }

            listers.Add(app.Ref);
        }
    }

    private void Unindex(MeshApp app)
    {
        apps.Remove(app.Ref);
        foreach (var target in PeerConsent.Listed(app))
        {
            if (listedBy.TryGetValue(target, out var listers))
            {
                listers.Remove(app.Ref);
            }
        }
    }

    private void PlanInstancesOf(MeshApp app, MeshApp? previous, HashSet<string>? touched = null)
    {
        if (previous is not null)
        {
            RemoveInstances(previous, keep: app.Instances.Select(i => (i.Name, i.Node)).ToHashSet(), touched);
        }

        foreach (var (instance, spec) in planner.PlanApp(app, apps))
        {
            InstancesPlanned++;
            var node = instance.Node;
            if (!nodes.TryGetValue(node, out var interfaces))
            {
                nodes[node] = interfaces = new SortedDictionary<string, NodeInterfaceSpec>(StringComparer.Ordinal);
            }

            interfaces[InstanceKey(app.Ref, spec.Instance)] = spec;
            touched?.Add(node);
        }
    }

    private void RemoveInstances(MeshApp app, HashSet<(string Name, string Node)>? keep, HashSet<string>? touched)
    {
        foreach (var instance in app.Instances.Where(i => keep is null || !keep.Contains((i.Name, i.Node))))
        {
            if (nodes.TryGetValue(instance.Node, out var interfaces) && interfaces.Remove(InstanceKey(app.Ref, instance.Name)))
            {
                touched?.Add(instance.Node);
                if (interfaces.Count == 0)
                {
                    nodes.Remove(instance.Node);
                }
            }
        }
    }

    private static string InstanceKey(AppReference app, string instance) => $"{app.Namespace}/{app.Name}/{instance}";
}

/// <summary>What one change touched: the nodes whose spec changed and the apps whose peer states may have.</summary>
public sealed record MeshUpdate(IReadOnlySet<string> TouchedNodes, IReadOnlySet<AppReference> AppsWithChangedPeerStates);
