using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace WgIsolate.Operator.Runtime;

/// <summary>What an informer tells its handlers. Old null: added; New null: deleted; Old == New: periodic resync.</summary>
public delegate void ResourceEventHandler<in T>(T? oldObject, T? newObject) where T : class;

/// <summary>A handler threw: a bug, not a transient failure; the informer stops and the process ends.</summary>
public sealed class EventHandlerFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>Anything that must list once before controllers may reconcile.</summary>
public interface IInformer
{
    string Resource { get; }
    bool HasSynced { get; }

    /// <summary>Completes once the first list has been stored and handed to the handlers.</summary>
    Task Synced { get; }

    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Keeps a <see cref="ResourceCache{T}"/> in step with the API server: list, then watch from the list's
/// resourceVersion; resume from the last seen resourceVersion after a disconnect; list again after 410 Gone or any
/// other ERROR event; restart a watch that stays silent past its timeout (watchdog); back off when watches keep
/// ending at once; hand every object to the handlers again each resync period. Handlers run on the informer's
/// loop and must be quick (they enqueue keys).
/// </summary>
public sealed class ResourceInformer<T> : IInformer where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceSource<T> _source;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly Func<T, T> _transform;
    private readonly List<ResourceEventHandler<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _dispatchLock = new();

    /// <param name="transform">Applied to every object before it is cached, e.g. to keep only the fields reconcilers read.</param>
    public ResourceInformer(IResourceSource<T> source, InformerOptions options, TimeProvider time, ILogger logger,
        Func<T, T>? transform = null, Random? random = null)
    {
        _transform = transform ?? (obj => obj);
        _source = source;
        _options = options;
        _time = time;
        _logger = logger;
        _random = random ?? Random.Shared;
    }

    public ResourceCache<T> Cache { get; } = new();
    public string Resource => _source.Resource;
    public bool HasSynced => _synced.Task.IsCompleted;
    public Task Synced => _synced.Task;

    /// <summary>The resourceVersion the next watch resumes from.</summary>
    public string? LastResourceVersion { get; private set; }

    public void AddHandler(ResourceEventHandler<T> handler)
    {
        lock (_dispatchLock) _handlers.Add(handler);
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // A resync runs on a timer thread; a handler failure there stops this loop through `failed`.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        EventHandlerFailedException? resyncFailure = null;
        using var resync = StartResyncLoop(failed.Token, e =>
        {
            resyncFailure = e;
            failed.Cancel();
        });
        var cancellationToken = failed.Token;
        try
        {
            await RunLoopAsync(cancellationToken);
        }
        finally
        {
            if (resyncFailure is not null) throw resyncFailure;
        }
    }

    private async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        var mustList = true;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (mustList)
                {
                    await ListAsync(cancellationToken);
                    mustList = false;
                }

                if (await WatchAsync(LastResourceVersion!, cancellationToken))
                {
                    failures = 0;
                }
                else
                {
                    // A server that closes every watch at once must not turn this loop into a busy one.
                    failures++;
                    await Task.Delay(RetryDelay(failures), _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (RelistRequiredException e)
            {
                _logger.LogInformation("Watch of {Resource} at resourceVersion {ResourceVersion} cannot resume ({Reason}); listing again",
                    Resource, LastResourceVersion, e.Message);
                mustList = true;
            }
            catch (Exception e) when (e is not EventHandlerFailedException)
            {
                failures++;
                var delay = RetryDelay(failures);
                _logger.LogWarning(e, "{Operation} of {Resource} failed ({Failures} in a row); retrying in {Delay}",
                    mustList ? "List" : "Watch", Resource, failures, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var listing = await _source.ListAsync(cancellationToken);
        IReadOnlyList<CacheChange<T>> changes;
        lock (_dispatchLock)
        {
            changes = Cache.Replace(listing.Items.Select(_transform));
            LastResourceVersion = listing.ResourceVersion;
            foreach (var change in changes) Dispatch(change.Old, change.New);
        }

        _logger.LogDebug("Listed {Count} {Resource} at resourceVersion {ResourceVersion}", listing.Items.Count, Resource, listing.ResourceVersion);
        _synced.TrySetResult();
    }

    /// <summary>Returns false when the watch ended early without delivering anything.</summary>
    private async Task<bool> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var delivered = 0;
        var timeout = _options.MinWatchTimeout + (_options.MaxWatchTimeout - _options.MinWatchTimeout) * _random.NextDouble();
        var silenceLimit = timeout + _options.WatchdogGrace;
        using var watchdog = new CancellationTokenSource(silenceLimit, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token);
        try
        {
            await foreach (var e in _source.WatchAsync(resourceVersion, timeout, linked.Token).WithCancellation(linked.Token))
            {
                watchdog.CancelAfter(silenceLimit);
                Apply(e);
                delivered++;
            }
        }
        catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Watch of {Resource} was silent for {Silence}; restarting it from resourceVersion {ResourceVersion}",
                Resource, silenceLimit, LastResourceVersion);
            return true;
        }

        return delivered > 0 || _time.GetElapsedTime(started) >= timeout;
    }

    private void Apply(ResourceWatchEvent<T> e)
    {
        var rv = e.Object.Metadata?.ResourceVersion;
        lock (_dispatchLock)
        {
            switch (e.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    var obj = _transform(e.Object);
                    var old = Cache.Upsert(obj);
                    if (old?.Metadata.ResourceVersion != rv) Dispatch(old, obj);
                    break;
                case WatchEventType.Deleted:
                    Dispatch(Cache.Remove(ResourceKey.Of(e.Object)) ?? e.Object, null);
                    break;
                case WatchEventType.Bookmark:
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected watch event {e.Type} for {Resource}.");
            }

            if (!string.IsNullOrEmpty(rv)) LastResourceVersion = rv;
        }
    }

    private void Dispatch(T? oldObject, T? newObject)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(oldObject, newObject);
            }
            catch (Exception e)
            {
                // A handler bug would fail on the same event after every resume: end the process instead of looping.
                var key = ResourceKey.Of((newObject ?? oldObject)!);
                throw new EventHandlerFailedException($"An event handler of {Resource} failed on {key}: {e.Message}", e);
            }
        }
    }

    private IDisposable StartResyncLoop(CancellationToken cancellationToken, Action<EventHandlerFailedException> fail)
    {
        if (_options.ResyncPeriod <= TimeSpan.Zero) return _time.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return _time.CreateTimer(_ =>
        {
            if (cancellationToken.IsCancellationRequested || !HasSynced) return;
            try
            {
                lock (_dispatchLock)
                {
                    foreach (var obj in Cache.List()) Dispatch(obj, obj);
                }
            }
            catch (EventHandlerFailedException e)
            {
                fail(e);
            }
        }, null, _options.ResyncPeriod, _options.ResyncPeriod);
    }

    private TimeSpan RetryDelay(int failures)
    {
        var ticks = _options.InitialRetryDelay.Ticks * Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(ticks, _options.MaxRetryDelay.Ticks));
    }
}
