using System.Text.Json.Nodes;
using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble.Patch;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over RFC 6901 pointers.</summary>
public static class JsonPatch
{
    /// <summary>The patched document, a new tree: neither argument is changed.</summary>
    public static JsonNode Apply(JsonNode target, JsonNode? patch) => ApplyInPlace(target.DeepClone(), patch);

    /// <summary>Patches <paramref name="document"/> itself (a private copy: a failed operation leaves it half
    /// patched) and returns it.</summary>
    public static JsonNode ApplyInPlace(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiError.BadRequest("json patch must be an array of operations");
        }
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = (string?)operation["op"];
            var path = (string?)operation["path"] ?? throw ApiError.BadRequest($"json patch operation {op} without path");
            switch (op)
            {
                case "add":
                    Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Remove(document, From(operation));
                    Add(document, path, moved);
                    break;
                case "copy":
                    Add(document, path, Get(document, From(operation))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), operation["value"]))
                    {
                        throw new ApiError(422, "Invalid", $"json patch test operation failed at {path}");
                    }
                    break;
                default:
                    throw ApiError.BadRequest($"unknown json patch operation \"{op}\"");
            }
        }
        return document;
    }

    private static string From(JsonObject operation) =>
        (string?)operation["from"] ?? throw ApiError.BadRequest($"json patch {operation["op"]} without from");

    private static JsonNode? Get(JsonNode document, string pointer)
    {
        var (parent, last) = Parent(document, pointer);
        return parent switch
        {
            JsonObject o when o.TryGetPropertyValue(last, out var v) => v,
            JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count => a[i],
            _ => throw Missing(pointer),
        };
    }

    private static void Add(JsonNode document, string pointer, JsonNode? value)
    {
        var (parent, last) = Parent(document, pointer);
        switch (parent)
        {
            case JsonObject o:
                o.Remove(last);
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Missing(pointer);
        }
    }

    private static JsonNode? Remove(JsonNode document, string pointer)
    {
        var (parent, last) = Parent(document, pointer);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var v):
                o.Remove(last);
                return v;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                var removed = a[i];
                a.RemoveAt(i);
                return removed;
            default:
                throw Missing(pointer);
        }
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode document, string pointer)
    {
        if (!pointer.StartsWith('/'))
        {
            throw ApiError.BadRequest($"json patch path \"{pointer}\" is not a JSON pointer");
        }
        var tokens = pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
        JsonNode? node = document;
        foreach (var token in tokens[..^1])
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            } ?? throw Missing(pointer);
        }
        return (node!, tokens[^1]);
    }

    private static ApiError Missing(string pointer) =>
        new(422, "Invalid", $"json patch path \"{pointer}\" does not exist");
}
