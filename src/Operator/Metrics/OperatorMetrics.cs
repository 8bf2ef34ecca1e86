using Prometheus;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Metrics;

/// <summary>
/// Everything the operator exports, named after controller-runtime's metrics so existing dashboards read naturally.
/// One instance per registry; tests pass their own registry.
/// </summary>
public sealed class OperatorMetrics : IControllerMetrics
{
    private readonly Counter _reconciles;
    private readonly Counter _errors;
    private readonly Histogram _duration;
    private readonly Gauge _queueDepth;
    private readonly Gauge _leader;
    private readonly Gauge _allocatedSubnets;
    private readonly Gauge _freeSubnets;
    private readonly Gauge _instances;

    private readonly List<(string Name, Func<int> Depth)> _queues = [];

    public OperatorMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _reconciles = factory.CreateCounter("wgisolate_reconcile_total", "Reconciles per controller and result.",
            new CounterConfiguration { LabelNames = ["controller", "result"] });
        _errors = factory.CreateCounter("wgisolate_reconcile_errors_total", "Reconciles that ended in an error, per controller.",
            new CounterConfiguration { LabelNames = ["controller"] });
        _duration = factory.CreateHistogram("wgisolate_reconcile_duration_seconds", "How long one reconcile took.",
            new HistogramConfiguration { LabelNames = ["controller"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        _queueDepth = factory.CreateGauge("wgisolate_workqueue_depth", "Keys waiting for a worker.",
            new GaugeConfiguration { LabelNames = ["name"] });
        _leader = factory.CreateGauge("wgisolate_leader_is_leader", "Whether this replica holds the leader Lease (1) or not (0).");
        _allocatedSubnets = factory.CreateGauge("wgisolate_allocated_subnets", "App /64s allocated from the cluster /48.");
        _freeSubnets = factory.CreateGauge("wgisolate_free_subnets", "App /64s still free in the cluster /48.");
        _instances = factory.CreateGauge("wgisolate_instances", "App instances by state.",
            new GaugeConfiguration { LabelNames = ["state"] });
        // Queue depth is read when scraped, so it is exact at that moment rather than as of the last reconcile.
        registry.AddBeforeCollectCallback(() =>
        {
            lock (_queues)
            {
                foreach (var (name, depth) in _queues) _queueDepth.WithLabels(name).Set(depth());
            }
        });
    }

    public void TrackQueue(string controller, Func<int> depth)
    {
        lock (_queues) _queues.Add((controller, depth));
    }

    public void Reconciled(string controller, ReconcileOutcome outcome, TimeSpan duration)
    {
        _reconciles.WithLabels(controller, ResultLabel(outcome)).Inc();
        if (outcome is ReconcileOutcome.Error or ReconcileOutcome.TerminalError or ReconcileOutcome.GaveUp) _errors.WithLabels(controller).Inc();
        _duration.WithLabels(controller).Observe(duration.TotalSeconds);
    }

    public void Leader(bool isLeader) => _leader.Set(isLeader ? 1 : 0);

    public void Subnets(long allocated, long free)
    {
        _allocatedSubnets.Set(allocated);
        _freeSubnets.Set(free);
    }

    public void Instances(IReadOnlyDictionary<string, int> byState)
    {
        foreach (var (state, count) in byState) _instances.WithLabels(state).Set(count);
    }

    // controller-runtime's result label values.
    private static string ResultLabel(ReconcileOutcome outcome) => outcome switch
    {
        ReconcileOutcome.Success => "success",
        ReconcileOutcome.RequeueAfter => "requeue_after",
        ReconcileOutcome.Error => "error",
        ReconcileOutcome.TerminalError => "terminal_error",
        ReconcileOutcome.GaveUp => "gave_up",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
