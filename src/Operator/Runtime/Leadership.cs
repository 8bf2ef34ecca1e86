namespace WgIsolate.Operator.Runtime;

/// <summary>Whether this replica leads: controllers wait for <see cref="Acquired"/> before they write anything.</summary>
public sealed class Leadership
{
    private readonly TaskCompletionSource _acquired = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsLeader { get; private set; }

    public Task Acquired => _acquired.Task;

    public string? CurrentLeader { get; internal set; }

    internal void Acquire()
    {
        IsLeader = true;
        _acquired.TrySetResult();
    }

    internal void Lose() => IsLeader = false;

    /// <summary>For a replica that runs without election (one process, development): leads from the start.</summary>
    public static Leadership Always()
    {
        var leadership = new Leadership();
        leadership.Acquire();
        return leadership;
    }
}
