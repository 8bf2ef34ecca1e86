using System.Text.Json.Nodes;

namespace WgIsolate.KubeApiDouble.Storage;

/// <summary>The <c>labelSelector</c> query syntax: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c> (exists) and <c>!k</c> (does not exist), joined by commas (AND).</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements) =>
        _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        return new LabelSelector(SplitTopLevel(text).Select(ParseRequirement).ToList());
    }

    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] is JsonObject l
            ? l.ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "")
            : new Dictionary<string, string>();
        return _requirements.All(r => r(labels));
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string raw)
    {
        var text = raw.Trim();
        if (text.StartsWith('!'))
        {
            var key = Key(text[1..], raw);
            return labels => !labels.ContainsKey(key);
        }
        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = Key(text[..at], raw);
                var set = text[(at + op.Length)..].Trim();
                if (!set.StartsWith('(') || !set.EndsWith(')'))
                {
                    throw ApiError.BadRequest($"unable to parse requirement: {raw}: values must be in parentheses");
                }
                var values = set[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToHashSet();
                return negate
                    ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
                    : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
            }
        }
        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = Key(text[..at], raw);
                var value = text[(at + op.Length)..].Trim();
                return negate
                    ? labels => !labels.TryGetValue(key, out var v) || v != value
                    : labels => labels.TryGetValue(key, out var v) && v == value;
            }
        }
        var exists = Key(text, raw);
        return labels => labels.ContainsKey(exists);
    }

    private static string Key(string text, string raw)
    {
        var key = text.Trim();
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '!' or '='))
        {
            throw ApiError.BadRequest($"unable to parse requirement: {raw}: invalid label key \"{key}\"");
        }
        return key;
    }

    // Commas separate requirements except inside the parentheses of an in/notin set.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }
}
