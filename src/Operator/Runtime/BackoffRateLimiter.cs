namespace WgIsolate.Operator.Runtime;

/// <summary>
/// Per-key exponential backoff, as client-go's ItemExponentialFailureRateLimiter: the n-th failure of a key
/// waits base·2ⁿ⁻¹, never more than the cap. <see cref="Forget"/> resets a key after it succeeded.
/// </summary>
public sealed class BackoffRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ResourceKey, int> _failures = [];

    public static BackoffRateLimiter Default() => new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));

    /// <summary>Records one more failure of the key and returns how long to wait before retrying it.</summary>
    public TimeSpan When(ResourceKey key)
    {
        lock (_lock)
        {
            var n = _failures.GetValueOrDefault(key);
            _failures[key] = n + 1;
            var ticks = baseDelay.Ticks * Math.Pow(2, Math.Min(n, 62));
            return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
        }
    }

    public int Failures(ResourceKey key)
    {
        lock (_lock) return _failures.GetValueOrDefault(key);
    }

    public void Forget(ResourceKey key)
    {
        lock (_lock) _failures.Remove(key);
    }
}
