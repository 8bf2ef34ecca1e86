using System.Text.Json.Nodes;

namespace WgIsolate.KubeApiDouble.Storage;

/// <summary>The <c>fieldSelector</c> query: <c>field=value</c>, <c>field==value</c>, <c>field!=value</c> joined by
/// commas, over the fields the real server indexes for the kinds WgIsolate uses.</summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string[] Path, string Value, bool Negate)> _terms;

    private FieldSelector(IReadOnlyList<(string[] Path, string Value, bool Negate)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text, ResourceKind kind)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(string[], string, bool)>();
        foreach (var raw in text.Split(','))
        {
            var (op, negate) = raw.Contains("!=", StringComparison.Ordinal) ? ("!=", true)
                : raw.Contains("==", StringComparison.Ordinal) ? ("==", false) : ("=", false);
            var at = raw.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw ApiError.BadRequest($"invalid field selector term \"{raw}\"");
            }
            var field = raw[..at].Trim();
            if (!Supported(field, kind))
            {
                throw ApiError.BadRequest($"field label not supported: {field}");
            }
            terms.Add((field.Split('.'), raw[(at + op.Length)..].Trim(), negate));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => _terms.All(t =>
    {
        JsonNode? node = obj;
        foreach (var part in t.Path)
        {
            node = node?[part];
        }
        var actual = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        return (actual == t.Value) != t.Negate;
    });

    private static bool Supported(string field, ResourceKind kind) =>
        field is "metadata.name" or "metadata.namespace"
        || (kind.Kind == "Pod" && field is "spec.nodeName" or "status.phase");
}
