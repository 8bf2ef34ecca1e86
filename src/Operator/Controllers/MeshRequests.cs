using WgIsolate.Core.Api;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// What the mesh reconciler has to look at again, gathered from events and the app reconciler until it runs: apps,
/// node addresses, nodes whose IsolatedNode must be checked, or everything. Every request enqueues the one mesh
/// key, so a storm of requests collapses into one reconcile that handles them all. While app reconciles are still
/// queued (an event storm, the first sync) the mesh waits for them, up to <see cref="MaxBatchDelay"/> after the
/// oldest request: every IsolatedNode write carries the node's whole spec, so writing a node once for many apps is
/// what keeps convergence at 100 nodes from drowning the API server. When writing the nodes itself takes long (the
/// first sync of a large cluster), the wait grows to twice the last round's time, so the mesh never takes more than
/// a third of the API server from the app reconciles it waits for. A lone change does not wait.
/// </summary>
public sealed class MeshRequests(WorkQueue meshQueue, Func<int>? appBacklog = null, TimeProvider? time = null)
{
    public static readonly TimeSpan MaxBatchDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BacklogPoll = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private MeshWork _work = MeshWork.Empty();
    private long? _oldestRequest;
    private TimeSpan _lastRound;

    /// <summary>How long to wait before taking the requests; null: take them now.</summary>
    public TimeSpan? BatchDelay()
    {
        lock (_lock)
        {
            if (appBacklog is null || appBacklog() == 0 || _oldestRequest is not { } oldest) return null;
            var waited = _time.GetElapsedTime(oldest);
            var longest = MaxBatchDelay > 2 * _lastRound ? MaxBatchDelay : 2 * _lastRound;
            return waited < longest ? TimeSpan.FromTicks(Math.Min(BacklogPoll.Ticks, (longest - waited).Ticks)) : null;
        }
    }

    /// <summary>How long the last mesh round (planning and writing the nodes) took.</summary>
    public void RoundTook(TimeSpan elapsed)
    {
        lock (_lock) _lastRound = elapsed;
    }

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
            _oldestRequest = null;
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
            _oldestRequest ??= _time.GetTimestamp();
        }
    }

    private void Add(Action<MeshWork> request)
    {
        lock (_lock)
        {
            request(_work);
            _oldestRequest ??= _time.GetTimestamp();
        }

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
