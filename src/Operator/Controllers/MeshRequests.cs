using WgIsolate.Core.Api;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// What the mesh reconciler has to look at again, gathered from events and the app reconciler until it runs: apps,
/// node addresses, nodes whose IsolatedNode must be checked, or everything. Every request enqueues the one mesh
/// key, so a storm of requests collapses into one reconcile that handles them all.
/// </summary>
public sealed class MeshRequests(WorkQueue meshQueue)
{
    private readonly Lock _lock = new();
    private MeshWork _work = MeshWork.Empty();

    public void App(AppReference app) => Add(w => w.Apps.Add(app));

    public void NodeAddress(string node) => Add(w => w.Addresses.Add(node));

    public void NodeSpec(string node) => Add(w => w.Specs.Add(node));

    /// <summary>Plan everything from the cache again (first run, periodic resync).</summary>
    public void All() => Add(w => w.All = true);

    /// <summary>Takes what was requested so far; later requests go into the next reconcile.</summary>
    public MeshWork Take()
    {
        lock (_lock)
        {
            var work = _work;
            _work = MeshWork.Empty();
            return work;
        }
    }

    /// <summary>Puts back what a failed reconcile took, so its retry handles it.</summary>
    public void Return(MeshWork work)
    {
        lock (_lock)
        {
            _work.All |= work.All;
            _work.Apps.UnionWith(work.Apps);
            _work.Addresses.UnionWith(work.Addresses);
            _work.Specs.UnionWith(work.Specs);
        }
    }

    private void Add(Action<MeshWork> request)
    {
        lock (_lock) request(_work);
        meshQueue.Add(MeshReconciler.Key);
    }
}

public sealed class MeshWork
{
    public bool All { get; set; }
    public HashSet<AppReference> Apps { get; } = [];
    public HashSet<string> Addresses { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Specs { get; } = new(StringComparer.Ordinal);

    public static MeshWork Empty() => new();
}
