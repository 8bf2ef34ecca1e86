using Microsoft.Extensions.Time.Testing;

namespace WgIsolate.Operator.Tests.Runtime;

/// <summary>
/// A fake clock that also records the timers the code under test starts, so a test can wait until a backoff delay
/// is really armed before it advances the clock past it (advancing first would skip the delay forever).
/// </summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly List<TimeSpan> _dueTimes = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_dueTimes) _dueTimes.Add(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    public int TimersWithDueTime(TimeSpan dueTime)
    {
        lock (_dueTimes) return _dueTimes.Count(d => d == dueTime);
    }

    public Task WaitForTimersAsync(TimeSpan dueTime, int count) =>
        Eventually.True(() => TimersWithDueTime(dueTime) >= count, $"{count} timer(s) due in {dueTime}");
}
