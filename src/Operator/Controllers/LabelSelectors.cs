using k8s.Models;

namespace WgIsolate.Operator.Controllers;

/// <summary>Kubernetes label-selector matching (matchLabels AND every matchExpression), as the API server does it.</summary>
public static class LabelSelectors
{
    /// <summary>An absent selector selects nothing; an empty one selects everything (Kubernetes' rule).</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null) return false;
        labels ??= new Dictionary<string, string>();
        if (selector.MatchLabels is { } required && required.Any(kv => !labels.TryGetValue(kv.Key, out var v) || v != kv.Value)) return false;
        return selector.MatchExpressions?.All(e => Matches(e, labels)) ?? true;
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
