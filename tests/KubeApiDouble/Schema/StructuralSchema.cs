using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble.Schema;

/// <summary>
/// What the real server does with a custom resource against its CRD's structural schema, in its order: prune unknown
/// fields, apply defaults, validate. Covers the keywords WgIsolate's CRDs use: type, properties, required, items,
/// enum, minimum/maximum (and exclusive), minLength/maxLength, minItems/maxItems, pattern, nullable, default,
/// additionalProperties, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string.
/// CEL rules (x-kubernetes-validations) are NOT evaluated: the double has no CEL interpreter, and a partial one
/// would pass or fail objects differently from the real server. Tests of CEL rules need a real apiserver.
/// The schema is compiled once per CRD (<see cref="CompiledSchema"/>) and field paths are spelled out only for a
/// cause: an IsolatedNode of a hundred interfaces with forty peers each is a hundred thousand fields per write.
/// </summary>
public static class StructuralSchema
{
    // apiVersion, kind and metadata are the server's, not the schema's: never pruned or validated here.
    private static readonly HashSet<string> RootOwnedByServer = ["apiVersion", "kind", "metadata"];

    private static readonly ConditionalWeakTable<JsonObject, CompiledSchema> Compiled = [];

    public static IReadOnlyList<StatusCause> PruneDefaultAndValidate(JsonObject obj, JsonObject schema)
    {
        var causes = new List<StatusCause>();
        Walk(obj, CompiledFor(schema), FieldPath.Root, causes, isRoot: true);
        return causes;
    }

    private static CompiledSchema CompiledFor(JsonObject schema)
    {
        // Compiled under a lock: the CRD's schema tree is shared by every request and is read only here.
        lock (Compiled)
        {
            if (!Compiled.TryGetValue(schema, out var compiled))
            {
                compiled = CompiledSchema.From(schema);
                Compiled.Add(schema, compiled);
            }
            return compiled;
        }
    }

    private static void Walk(JsonNode? node, CompiledSchema schema, FieldPath path, List<StatusCause> causes, bool isRoot = false)
    {
        if (node is null)
        {
            if (!schema.Nullable)
            {
                causes.Add(TypeInvalid(path, "null", schema.Type ?? "any"));
            }
            return;
        }
        var kind = node.GetValueKind();
        if (schema.IntOrString)
        {
            if (kind is not (JsonValueKind.String or JsonValueKind.Number) || (kind == JsonValueKind.Number && !IsInteger(node)))
            {
                causes.Add(TypeInvalid(path, Describe(node), "integer or string"));
                return;
            }
            CheckScalar(node, kind, schema, path, causes);
            return;
        }
        switch (schema.Type)
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
            case "string" when kind != JsonValueKind.String:
                causes.Add(TypeInvalid(path, Describe(node), "string"));
                return;
            case "boolean" when kind is not (JsonValueKind.True or JsonValueKind.False):
                causes.Add(TypeInvalid(path, Describe(node), "boolean"));
                return;
            case "integer" when kind != JsonValueKind.Number || !IsInteger(node):
            case "number" when kind != JsonValueKind.Number:
                causes.Add(TypeInvalid(path, Describe(node), schema.Type));
                return;
            case null when schema.PreserveUnknownFields:
                return;
        }
        CheckScalar(node, kind, schema, path, causes);
    }

    private static void WalkObject(JsonObject obj, CompiledSchema schema, FieldPath path, List<StatusCause> causes, bool isRoot)
    {
        List<string>? dropped = null;
        foreach (var (name, value) in obj)
        {
            if (isRoot && RootOwnedByServer.Contains(name))
            {
                continue;
            }
            if (schema.Properties.TryGetValue(name, out var childSchema))
            {
                if (value is null && childSchema.Default is not null && !childSchema.Nullable)
                {
                    (dropped ??= []).Add(name); // a null for a defaulted, non-nullable field is dropped and then defaulted
                    continue;
                }
                Walk(value, childSchema, path.Child(name), causes);
            }
            else if (schema.AdditionalProperties is { } additionalSchema)
            {
                Walk(value, additionalSchema, path.Child(name), causes);
            }
            else if (!schema.PreserveUnknownFields && !schema.AdditionalPropertiesAllowed)
            {
                (dropped ??= []).Add(name); // pruned, not rejected, like the real server
            }
        }
        foreach (var name in dropped ?? [])
        {
            obj.Remove(name);
        }
        foreach (var (name, childSchema) in schema.Defaulted)
        {
            if (!obj.ContainsKey(name))
            {
                obj[name] = childSchema.Default!.DeepClone();
                Walk(obj[name], childSchema, path.Child(name), causes);
            }
        }
        foreach (var required in schema.Required)
        {
            if (!obj.ContainsKey(required))
            {
                causes.Add(new StatusCause(path.Child(required).ToString(), "FieldValueRequired", "Required value"));
            }
        }
    }

    private static void WalkArray(JsonArray array, CompiledSchema schema, FieldPath path, List<StatusCause> causes)
    {
        if (schema.MaxItems is { } max && array.Count > max)
        {
            causes.Add(new StatusCause(path.Label, "FieldValueTooMany", $"Too many: {array.Count}: must have at most {max} items"));
        }
        if (schema.MinItems is { } min && array.Count < min)
        {
            causes.Add(Invalid(path, array.Count.ToString(CultureInfo.InvariantCulture), $"should have at least {min} items"));
        }
        if (schema.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], items, path.Item(i), causes);
            }
        }
    }

    private static void CheckScalar(JsonNode node, JsonValueKind kind, CompiledSchema schema, FieldPath path, List<StatusCause> causes)
    {
        if (schema.Enum is { } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            var supported = string.Join(", ", allowed.Select(a => a?.ToJsonString()));
            causes.Add(new StatusCause(path.Label, "FieldValueNotSupported",
                $"Unsupported value: {node.ToJsonString()}: supported values: {supported}"));
        }
        if (kind == JsonValueKind.Number && (schema.Minimum is not null || schema.Maximum is not null))
        {
            var value = Number(node)!.Value;
            if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? value <= min : value < min))
            {
                causes.Add(Invalid(path, node.ToJsonString(),
                    $"should be greater than {(schema.ExclusiveMinimum ? "" : "or equal to ")}{min}"));
            }
            if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? value >= max : value > max))
            {
                causes.Add(Invalid(path, node.ToJsonString(),
                    $"should be less than {(schema.ExclusiveMaximum ? "" : "or equal to ")}{max}"));
            }
        }
        if (kind == JsonValueKind.String && (schema.MaxLength is not null || schema.MinLength is not null || schema.Pattern is not null))
        {
            var text = node.GetValue<string>();
            if (schema.MaxLength is { } maxLength && text.Length > maxLength)
            {
                causes.Add(new StatusCause(path.Label, "FieldValueTooLong", $"Too long: may not be more than {maxLength} bytes"));
            }
            if (schema.MinLength is { } minLength && text.Length < minLength)
            {
                causes.Add(Invalid(path, node.ToJsonString(), $"should be at least {minLength} chars long"));
            }
            if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
            {
                causes.Add(Invalid(path, node.ToJsonString(), $"should match '{pattern}'"));
            }
        }
    }

    private static StatusCause Invalid(FieldPath path, string value, string should) =>
        new(path.Label, "FieldValueInvalid", $"Invalid value: {value}: {path.Label} in body {should}");

    private static StatusCause TypeInvalid(FieldPath path, string actual, string expected) =>
        new(path.Label, "FieldValueTypeInvalid",
            $"Invalid value: \"{actual}\": {path.Label} in body must be of type {expected}: \"{actual}\"");

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

    internal static decimal? Number(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }
        // Parsed numbers answer directly; numbers a client built as another CLR type go through their JSON text.
        return value.TryGetValue<decimal>(out var number) ? number
            : decimal.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
