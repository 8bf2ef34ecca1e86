using Microsoft.Extensions.Diagnostics.HealthChecks;
using WgIsolate.Operator.Controllers;

namespace WgIsolate.Operator.Hosting;

/// <summary>/readyz: ready once every informer has listed (a standby replica is ready too: it can take over).</summary>
public sealed class CacheSyncedHealthCheck(ClusterCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = cache.All.Where(i => !i.HasSynced).Select(i => i.Resource).ToList();
        return Task.FromResult(pending.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"not listed yet: {string.Join(", ", pending)}"));
    }
}
