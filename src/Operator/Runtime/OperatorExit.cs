using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WgIsolate.Operator.Runtime;

/// <summary>
/// The one way the operator ends itself: log why, remember a non-zero exit code for Program to return, and stop the
/// host so the kubelet restarts the pod — rather than running on half-stopped.
/// </summary>
public sealed class OperatorExit(IHostApplicationLifetime lifetime, ILogger<OperatorExit> logger)
{
    public int Code { get; private set; }

    public void Fail(Exception? error, string reason)
    {
        logger.LogCritical(error, "Stopping the operator: {Reason}", reason);
        Code = 1;
        lifetime.StopApplication();
    }
}

/// <summary>A loop of the operator whose failure ends the process (through <see cref="OperatorExit"/>).</summary>
public abstract class CriticalBackgroundService(OperatorExit exit) : BackgroundService
{
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        catch (Exception e)
        {
            exit.Fail(e, $"{GetType().Name} failed");
            throw;
        }
    }
}
