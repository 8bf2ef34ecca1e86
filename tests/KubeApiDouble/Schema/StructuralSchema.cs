using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble.Schema;

/// <summary>
/// What the real server does with a custom resource against its CRD's structural schema, in its order: prune unknown
/// fields, apply defaults, validate. Covers the keywords WgIsolate's CRDs use: type, properties, required, items,
/// enum, minimum/maximum (and exclusive), minLength/maxLength, minItems/maxItems, pattern, nullable, default,
/// additionalProperties, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string.
/// CEL rules (x-kubernetes-validations) are NOT evaluated: the double has no CEL interpreter, and a partial one
/// would pass or fail objects differently from the real server. Tests of CEL rules need a real apiserver.
/// </summary>
public static class StructuralSchema
{
    // apiVersion, kind and metadata are the server's, not the schema's: never pruned or validated here.
    private static readonly HashSet<string> RootOwnedByServer = ["apiVersion", "kind", "metadata"];

    public static IReadOnlyList<StatusCause> PruneDefaultAndValidate(JsonObject obj, JsonObject schema)
    {
        var causes = new List<StatusCause>();
        Walk(obj, schema, "", causes, isRoot: true);
        return causes;
    }

    private static void Walk(JsonNode? node, JsonObject schema, string path, List<StatusCause> causes, bool isRoot = false)
    {
        if (node is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                causes.Add(TypeInvalid(path, "null", TypeName(schema)));
            }
            return;
        }
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            var kind = node.GetValueKind();
            if (kind is not (JsonValueKind.String or JsonValueKind.Number) || (kind == JsonValueKind.Number && !IsInteger(node)))
            {
                causes.Add(TypeInvalid(path, Describe(node), "integer or string"));
                return;
            }
            CheckScalar(node, schema, path, causes);
            return;
        }
        var type = (string?)schema["type"];
        switch (type)
        {
            case "object":
                if (node is not JsonObject obj)
                {
                    causes.Add(TypeInvalid(path, Describe(node), "object"));
                    return;
                }
                WalkObject(obj, schema, path, causes, isRoot);
                break;
            case "array":
                if (node is not JsonArray array)
                {
                    causes.Add(TypeInvalid(path, Describe(node), "array"));
                    return;
                }
                WalkArray(array, schema, path, causes);
                break;
            case "string" when node.GetValueKind() != JsonValueKind.String:
                causes.Add(TypeInvalid(path, Describe(node), "string"));
                return;
            case "boolean" when node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False):
                causes.Add(TypeInvalid(path, Describe(node), "boolean"));
                return;
            case "integer" when node.GetValueKind() != JsonValueKind.Number || !IsInteger(node):
            case "number" when node.GetValueKind() != JsonValueKind.Number:
                causes.Add(TypeInvalid(path, Describe(node), type));
                return;
            case null when schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true:
                return;
        }
        CheckScalar(node, schema, path, causes);
    }

    private static void WalkObject(JsonObject obj, JsonObject schema, string path, List<StatusCause> causes, bool isRoot)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var (name, value) in obj.ToList())
        {
            if (isRoot && RootOwnedByServer.Contains(name))
            {
                continue;
            }
            var childPath = Join(path, name);
            if (properties?[name] is JsonObject childSchema)
            {
                if (value is null && childSchema["default"] is not null && childSchema["nullable"]?.GetValue<bool>() != true)
                {
                    obj.Remove(name); // a null for a defaulted, non-nullable field is dropped and then defaulted
                    continue;
                }
                Walk(value, childSchema, childPath, causes);
            }
            else if (additional is JsonObject additionalSchema)
            {
                Walk(value, additionalSchema, childPath, causes);
            }
            else if (!preserve && additional?.GetValueKind() != JsonValueKind.True)
            {
                obj.Remove(name); // pruned, not rejected, like the real server
            }
        }
        foreach (var (name, childSchema) in properties ?? [])
        {
            if (!obj.ContainsKey(name) && childSchema?["default"] is { } fallback)
            {
                obj[name] = fallback.DeepClone();
                Walk(obj[name], childSchema.AsObject(), Join(path, name), causes);
            }
        }
        foreach (var required in schema["required"]?.AsArray().Select(r => (string?)r) ?? [])
        {
            if (required is not null && !obj.ContainsKey(required))
            {
                causes.Add(new StatusCause(Join(path, required), "FieldValueRequired", "Required value"));
            }
        }
    }

    private static void WalkArray(JsonArray array, JsonObject schema, string path, List<StatusCause> causes)
    {
        if (Number(schema["maxItems"]) is { } max && array.Count > max)
        {
            causes.Add(new StatusCause(Label(path), "FieldValueTooMany", $"Too many: {array.Count}: must have at most {max} items"));
        }
        if (Number(schema["minItems"]) is { } min && array.Count < min)
        {
            causes.Add(Invalid(path, array.Count.ToString(CultureInfo.InvariantCulture), $"should have at least {min} items"));
        }
        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], items, $"{path}[{i}]", causes);
            }
        }
    }

    private static void CheckScalar(JsonNode node, JsonObject schema, string path, List<StatusCause> causes)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            var supported = string.Join(", ", allowed.Select(a => a?.ToJsonString()));
            causes.Add(new StatusCause(Label(path), "FieldValueNotSupported",
                $"Unsupported value: {node.ToJsonString()}: supported values: {supported}"));
        }
        if (node.GetValueKind() == JsonValueKind.Number)
        {
            var value = Number(node)!.Value;
            var exclusiveMin = schema["exclusiveMinimum"]?.GetValue<bool>() == true;
            var exclusiveMax = schema["exclusiveMaximum"]?.GetValue<bool>() == true;
            if (Number(schema["minimum"]) is { } min && (exclusiveMin ? value <= min : value < min))
            {
                causes.Add(Invalid(path, node.ToJsonString(),
                    $"should be greater than {(exclusiveMin ? "" : "or equal to ")}{min}"));
            }
            if (Number(schema["maximum"]) is { } max && (exclusiveMax ? value >= max : value > max))
            {
                causes.Add(Invalid(path, node.ToJsonString(),
                    $"should be less than {(exclusiveMax ? "" : "or equal to ")}{max}"));
            }
        }
        if (node.GetValueKind() == JsonValueKind.String)
        {
            var text = node.GetValue<string>();
            if (Number(schema["maxLength"]) is { } maxLength && text.Length > maxLength)
            {
                causes.Add(new StatusCause(Label(path), "FieldValueTooLong", $"Too long: may not be more than {maxLength} bytes"));
            }
            if (Number(schema["minLength"]) is { } minLength && text.Length < minLength)
            {
                causes.Add(Invalid(path, node.ToJsonString(), $"should be at least {minLength} chars long"));
            }
            if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                causes.Add(Invalid(path, node.ToJsonString(), $"should match '{pattern}'"));
            }
        }
    }

    private static StatusCause Invalid(string path, string value, string should) =>
        new(Label(path), "FieldValueInvalid", $"Invalid value: {value}: {Label(path)} in body {should}");

    private static StatusCause TypeInvalid(string path, string actual, string expected) =>
        new(Label(path), "FieldValueTypeInvalid",
            $"Invalid value: \"{actual}\": {Label(path)} in body must be of type {expected}: \"{actual}\"");

    private static string Label(string path) => path.Length == 0 ? "<root>" : path;

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string TypeName(JsonObject schema) => (string?)schema["type"] ?? "any";

    private static string Describe(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => IsInteger(node) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static bool IsInteger(JsonNode node) => Number(node) is { } n && decimal.Truncate(n) == n;

    private static decimal? Number(JsonNode? node) =>
        node is not null && node.GetValueKind() == JsonValueKind.Number
            ? decimal.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
}
