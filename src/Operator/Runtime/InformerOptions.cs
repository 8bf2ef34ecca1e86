namespace WgIsolate.Operator.Runtime;

public sealed record InformerOptions
{
    /// <summary>Each watch asks the server to end it after a random time in this range (client-go uses 5–10 min).</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromSeconds(300);
    public TimeSpan MaxWatchTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>How much longer than the asked-for timeout a silent watch may last before the watchdog restarts it.</summary>
    public TimeSpan WatchdogGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every cached object is handed to the handlers again this often, so lost edges heal.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Backoff after a failed list or watch: doubles from the initial value up to the cap.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
