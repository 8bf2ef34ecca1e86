using System.Text.Json.Nodes;

namespace WgIsolate.KubeApiDouble.Patch;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, null deletes, everything else (lists too) replaces.</summary>
public static class MergePatch
{
    /// <summary>The patched document, a new tree: neither argument is changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) =>
        ApplyInPlace(target is JsonObject t ? t.DeepClone().AsObject() : new JsonObject(), patch);

    /// <summary>Patches <paramref name="target"/> itself (a private copy) and returns the result.</summary>
    public static JsonNode? ApplyInPlace(JsonObject target, JsonNode? patch) =>
        patch is JsonObject ? MergeInto(target, patch) : patch?.DeepClone();

    // Changes `result` (already a private copy) in place, so each level of a large document is copied once.
    private static JsonNode MergeInto(JsonObject result, JsonNode patch)
    {
        foreach (var (name, value) in patch.AsObject())
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }
            var current = result[name];
            result.Remove(name);
            result[name] = value is JsonObject ? MergeInto(current as JsonObject ?? new JsonObject(), value) : value.DeepClone();
        }
        return result;
    }
}
