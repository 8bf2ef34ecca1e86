namespace WgIsolate.Operator.Runtime;

/// <summary>
/// The coalescing keyed queue between informers and reconcilers, with client-go's guarantees: a key waiting in
/// the queue is there once however often it is added; a key being processed is never handed to a second worker;
/// a key added while it is processed goes back into the queue when <see cref="Done"/> is called. Delayed adds keep
/// only the earliest deadline per key.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<ResourceKey> _queue = new();
    private readonly HashSet<ResourceKey> _dirty = [];
    private readonly HashSet<ResourceKey> _processing = [];
    private readonly Dictionary<ResourceKey, (DateTimeOffset Due, ITimer Timer)> _waiting = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TimeProvider _time;

    public WorkQueue(TimeProvider time, BackoffRateLimiter rateLimiter)
    {
        _time = time;
        RateLimiter = rateLimiter;
    }

    public BackoffRateLimiter RateLimiter { get; }

    /// <summary>Keys ready for a worker (not those waiting for a delay, not those being processed).</summary>
    public int Depth { get { lock (_lock) return _queue.Count; } }

    public void Add(ResourceKey key)
    {
        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested || !_dirty.Add(key)) return;
            if (_processing.Contains(key)) return;
            _queue.Enqueue(key);
        }

        _available.Release();
    }

    public void AddAfter(ResourceKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested) return;
            var due = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var existing))
            {
                if (existing.Due <= due) return;
                existing.Timer.Dispose();
            }

            var timer = _time.CreateTimer(_ => Fire(key, due), null, delay, Timeout.InfiniteTimeSpan);
            _waiting[key] = (due, timer);
        }
    }

    public void AddRateLimited(ResourceKey key) => AddAfter(key, RateLimiter.When(key));

    public void Forget(ResourceKey key) => RateLimiter.Forget(key);

    /// <summary>Waits for the next key; returns null once the queue has been shut down.</summary>
    public async Task<ResourceKey?> GetAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        try
        {
            await _available.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        lock (_lock)
        {
            var key = _queue.Dequeue();
            _dirty.Remove(key);
            _processing.Add(key);
            return key;
        }
    }

    public void Done(ResourceKey key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (!_dirty.Contains(key) || _shutdown.IsCancellationRequested) return;
            _queue.Enqueue(key);
        }

        _available.Release();
    }

    public void ShutDown()
    {
        lock (_lock)
        {
            _shutdown.Cancel();
            foreach (var (_, timer) in _waiting.Values) timer.Dispose();
            _waiting.Clear();
        }
    }

    public void Dispose()
    {
        ShutDown();
        _shutdown.Dispose();
        _available.Dispose();
    }

    private void Fire(ResourceKey key, DateTimeOffset due)
    {
        lock (_lock)
        {
            // A sooner AddAfter replaced this timer; only the entry's own timer may fire it.
            if (!_waiting.TryGetValue(key, out var entry) || entry.Due != due) return;
            _waiting.Remove(key);
            entry.Timer.Dispose();
        }

        Add(key);
    }
}
