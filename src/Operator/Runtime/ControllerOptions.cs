namespace WgIsolate.Operator.Runtime;

public sealed record ControllerOptions
{
    /// <summary>How many keys are reconciled at the same time (never the same key twice).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>After this many consecutive failures a key is dropped until its next event or resync.</summary>
    public int MaxFailures { get; init; } = 15;
}
