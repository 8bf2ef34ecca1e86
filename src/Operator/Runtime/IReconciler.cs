namespace WgIsolate.Operator.Runtime;

/// <summary>
/// The contract every controller keeps (controller-runtime's reconcile.Reconciler): given a key, make the world
/// match the cached desired state, level-triggered — the key says what to look at, never what changed.
/// <list type="bullet">
/// <item>return <see cref="ReconcileResult.Done"/>: converged; the key's backoff is forgotten;</item>
/// <item>return <see cref="ReconcileResult.After"/>: look again after that delay (e.g. waiting for agents);</item>
/// <item>throw: transient failure; retried with per-key exponential backoff up to the failure limit;</item>
/// <item>throw <see cref="TerminalReconcileException"/>: retrying cannot help; no requeue until the next event.</item>
/// </list>
/// </summary>
public interface IReconciler
{
    /// <summary>Names the controller in logs and metrics.</summary>
    string Name { get; }

    Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken);
}

public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}

/// <summary>A failure that the same input will always produce; the controller does not retry it.</summary>
public sealed class TerminalReconcileException(string message, Exception? inner = null) : Exception(message, inner);
