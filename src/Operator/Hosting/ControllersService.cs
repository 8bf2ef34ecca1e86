using Microsoft.Extensions.Logging;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Metrics;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Hosting;

/// <summary>
/// Fills the caches on every replica (so a new leader starts warm) and runs the controllers only while this
/// replica leads. Any failure ends the process.
/// </summary>
public sealed class ControllersService(ClusterCache cache, Leadership leadership, IEnumerable<Controller> controllers, OperatorMetrics metrics,
    OperatorExit exit, ILogger<ControllersService> logger) : CriticalBackgroundService(exit)
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var informing = cache.RunAsync(stoppingToken);
        var leading = Task.Run(async () =>
        {
            metrics.Leader(false);
            await leadership.Acquired.WaitAsync(stoppingToken);
            metrics.Leader(true);
            logger.LogInformation("Leading: starting controllers");
            await Task.WhenAll(controllers.Select(c => c.RunAsync(stoppingToken)));
        }, stoppingToken);

        // Whichever ends first ends the process: an informer or controller only returns on shutdown or failure.
        var first = await Task.WhenAny(informing, leading);
        await first;
    }
}
