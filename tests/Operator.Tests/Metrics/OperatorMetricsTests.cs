using Prometheus;
using WgIsolate.Operator.Metrics;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Tests.Metrics;

public sealed class OperatorMetricsTests
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();

    private async Task<string> Scrape()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Export_UsesControllerRuntimeNamesAndLabels()
    {
        var metrics = new OperatorMetrics(_registry);
        metrics.Reconciled("isolatedapp", ReconcileOutcome.Success, TimeSpan.FromMilliseconds(3));
        metrics.Reconciled("isolatedapp", ReconcileOutcome.Error, TimeSpan.FromMilliseconds(5));
        metrics.Reconciled("mesh", ReconcileOutcome.RequeueAfter, TimeSpan.FromMilliseconds(1));
        metrics.Leader(true);
        metrics.Subnets(3, 65532);
        metrics.Instances(new Dictionary<string, int> { ["Ready"] = 4, ["Pending"] = 1, ["Error"] = 0 });

        var text = await Scrape();

        Assert.Contains("wgisolate_reconcile_total{controller=\"isolatedapp\",result=\"success\"} 1", text);
        Assert.Contains("wgisolate_reconcile_total{controller=\"isolatedapp\",result=\"error\"} 1", text);
        Assert.Contains("wgisolate_reconcile_total{controller=\"mesh\",result=\"requeue_after\"} 1", text);
        Assert.Contains("wgisolate_reconcile_errors_total{controller=\"isolatedapp\"} 1", text);
        Assert.Contains("wgisolate_reconcile_duration_seconds_count{controller=\"isolatedapp\"} 2", text);
        Assert.Contains("wgisolate_leader_is_leader 1", text);
        Assert.Contains("wgisolate_allocated_subnets 3", text);
        Assert.Contains("wgisolate_free_subnets 65532", text);
        Assert.Contains("wgisolate_instances{state=\"Ready\"} 4", text);
        Assert.Contains("wgisolate_instances{state=\"Error\"} 0", text);
    }

    [Fact]
    public async Task QueueDepth_IsReadAtScrapeTime()
    {
        var metrics = new OperatorMetrics(_registry);
        var depth = 7;
        metrics.TrackQueue("isolatedapp", () => depth);

        Assert.Contains("wgisolate_workqueue_depth{name=\"isolatedapp\"} 7", await Scrape());
        depth = 2;
        Assert.Contains("wgisolate_workqueue_depth{name=\"isolatedapp\"} 2", await Scrape());
    }
}
