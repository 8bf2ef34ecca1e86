using k8s.Models;

namespace WgIsolate.Operator.Controllers;

/// <summary>Kubernetes label-selector matching (matchLabels AND every matchExpression), as the API server does it.</summary>
public static class LabelSelectors
{
    /// <summary>An absent selector selects nothing; an empty one selects everything (Kubernetes' rule).</summary>
    /// <remarks>Without LINQ: every pod event is matched against every app of its namespace (1,000 at the issue's
    /// scale), and a closure and an enumerator per match were most of the operator's allocations.</remarks>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null) return false;
        labels ??= NoLabels;
        if (selector.MatchLabels is { } required && !HasAll(required, labels)) return false;

        if (selector.MatchExpressions is { } expressions)
        {
            foreach (var expression in expressions)
            {
                if (!Matches(expression, labels)) return false;
            }
        }

        return true;
    }

    private static readonly Dictionary<string, string> NoLabels = [];

    // Deserialised selectors hold a Dictionary, whose struct enumerator the interface would box on every match.
    private static bool HasAll(IDictionary<string, string> required, IDictionary<string, string> labels) => required is Dictionary<string, string> concrete
        ? HasAll(concrete, labels)
        : required.All(kv => labels.TryGetValue(kv.Key, out var actual) && actual == kv.Value);

    private static bool HasAll(Dictionary<string, string> required, IDictionary<string, string> labels)
    {
        foreach (var (key, value) in required)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        }

        return true;
    }

    private static bool Matches(V1LabelSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(requirement.Key, out var value);
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => has && values.Contains(value!),
            "NotIn" => !has || !values.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            _ => throw new ArgumentException($"Unknown label selector operator '{requirement.OperatorProperty}' for key '{requirement.Key}'."),
        };
    }
}
