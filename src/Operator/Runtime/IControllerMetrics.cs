namespace WgIsolate.Operator.Runtime;

/// <summary>What a controller reports; the Prometheus implementation lives in Metrics/.</summary>
public interface IControllerMetrics
{
    void Reconciled(string controller, ReconcileOutcome outcome, TimeSpan duration);
}

public enum ReconcileOutcome
{
    Success,
    RequeueAfter,
    Error,
    TerminalError,
    GaveUp,
}
