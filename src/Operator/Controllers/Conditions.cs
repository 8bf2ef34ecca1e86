using k8s.Models;

namespace WgIsolate.Operator.Controllers;

/// <summary>metav1.Condition bookkeeping: lastTransitionTime changes only when the status flips.</summary>
public static class Conditions
{
    public static V1Condition Make(IEnumerable<V1Condition>? previous, string type, bool status, string reason, string message,
        long? generation, DateTimeOffset now)
    {
        var text = status ? "True" : "False";
        var before = previous?.FirstOrDefault(c => c.Type == type);
        return new V1Condition
        {
            Type = type,
            Status = text,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = before?.Status == text ? before.LastTransitionTime : now.UtcDateTime,
        };
    }
}
