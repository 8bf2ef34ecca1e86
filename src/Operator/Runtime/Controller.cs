using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WgIsolate.Operator.Runtime;

/// <summary>
/// Runs a reconciler over a work queue with a bounded number of workers, once every informer has listed, and
/// applies the <see cref="IReconciler"/> contract in exactly one place.
/// </summary>
public sealed class Controller
{
    private readonly IReconciler _reconciler;
    private readonly IReadOnlyList<IInformer> _informers;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly IControllerMetrics _metrics;
    private readonly ILogger _logger;

    public Controller(IReconciler reconciler, WorkQueue queue, IReadOnlyList<IInformer> informers, ControllerOptions options,
        TimeProvider time, IControllerMetrics metrics, ILogger logger)
    {
        _reconciler = reconciler;
        Queue = queue;
        _informers = informers;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public WorkQueue Queue { get; }

    public string Name => _reconciler.Name;

    /// <summary>Reconciles until cancelled; the informers must already be running.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await WaitForInformersAsync(cancellationToken);
        _logger.LogInformation("Controller {Controller} starting {Workers} workers", Name, _options.Workers);
        using var stop = cancellationToken.Register(Queue.ShutDown);
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None));
        await Task.WhenAll(workers);
    }

    // Reconciling against a half-filled cache would delete what merely has not been listed yet.
    private Task WaitForInformersAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Select(i => i.Synced)).WaitAsync(cancellationToken);

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (await Queue.GetAsync(cancellationToken) is { } key)
        {
            try
            {
                await ProcessAsync(key, cancellationToken);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    internal async Task ProcessAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var outcome = ReconcileOutcome.Success;
        try
        {
            var result = await _reconciler.ReconcileAsync(key, cancellationToken);
            Queue.Forget(key);
            if (result.RequeueAfter is { } delay)
            {
                outcome = ReconcileOutcome.RequeueAfter;
                Queue.AddAfter(key, delay);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TerminalReconcileException e)
        {
            outcome = ReconcileOutcome.TerminalError;
            Queue.Forget(key);
            _logger.LogError(e, "Reconcile of {Key} by {Controller} failed permanently; not retrying until it changes", key, Name);
        }
        catch (Exception e)
        {
            if (Queue.RateLimiter.Failures(key) + 1 >= _options.MaxFailures)
            {
                outcome = ReconcileOutcome.GaveUp;
                Queue.Forget(key);
                _logger.LogError(e, "Reconcile of {Key} by {Controller} failed {Failures} times in a row; dropping it until its next event or resync",
                    key, Name, _options.MaxFailures);
            }
            else
            {
                outcome = ReconcileOutcome.Error;
                Queue.AddRateLimited(key);
                _logger.LogWarning(e, "Reconcile of {Key} by {Controller} failed; retrying with backoff", key, Name);
            }
        }
        finally
        {
            _metrics.Reconciled(Name, outcome, _time.GetElapsedTime(started));
        }
    }
}
