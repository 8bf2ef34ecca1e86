using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WgIsolate.KubeApiDouble.Schema;

/// <summary>One node of a CRD's openAPIV3Schema with its keywords read once, so validating a large object looks
/// nothing up by name.</summary>
internal sealed class CompiledSchema
{
    public string? Type { get; private init; }
    public bool Nullable { get; private init; }
    public bool IntOrString { get; private init; }
    public bool PreserveUnknownFields { get; private init; }
    public Dictionary<string, CompiledSchema> Properties { get; private init; } = [];

    /// <summary>The properties that have a default, in schema order.</summary>
    public IReadOnlyList<(string Name, CompiledSchema Schema)> Defaulted { get; private init; } = [];

    public IReadOnlyList<string> Required { get; private init; } = [];
    public CompiledSchema? AdditionalProperties { get; private init; }

    /// <summary><c>additionalProperties: true</c>: unknown fields are kept without a schema.</summary>
    public bool AdditionalPropertiesAllowed { get; private init; }

    public CompiledSchema? Items { get; private init; }
    public JsonNode? Default { get; private init; }
    public IReadOnlyList<JsonNode?>? Enum { get; private init; }
    public decimal? Minimum { get; private init; }
    public decimal? Maximum { get; private init; }
    public bool ExclusiveMinimum { get; private init; }
    public bool ExclusiveMaximum { get; private init; }
    public decimal? MinLength { get; private init; }
    public decimal? MaxLength { get; private init; }
    public decimal? MinItems { get; private init; }
    public decimal? MaxItems { get; private init; }
    public Regex? Pattern { get; private init; }

    public static CompiledSchema From(JsonObject schema)
    {
        var properties = (schema["properties"] as JsonObject ?? [])
            .Where(p => p.Value is JsonObject)
            .Select(p => (Name: p.Key, Schema: From(p.Value!.AsObject())))
            .ToList();
        return new CompiledSchema
        {
            Type = (string?)schema["type"],
            Nullable = Flag(schema, "nullable"),
            IntOrString = Flag(schema, "x-kubernetes-int-or-string"),
            PreserveUnknownFields = Flag(schema, "x-kubernetes-preserve-unknown-fields"),
            Properties = properties.ToDictionary(p => p.Name, p => p.Schema, StringComparer.Ordinal),
            Defaulted = [.. properties.Where(p => p.Schema.Default is not null)],
            Required = [.. (schema["required"] as JsonArray ?? []).Select(r => (string?)r).OfType<string>()],
            AdditionalProperties = schema["additionalProperties"] is JsonObject additional ? From(additional) : null,
            AdditionalPropertiesAllowed = schema["additionalProperties"]?.GetValueKind() == JsonValueKind.True,
            Items = schema["items"] is JsonObject items ? From(items) : null,
            Default = schema["default"]?.DeepClone(),
            Enum = schema["enum"] is JsonArray allowed ? [.. allowed.Select(a => a?.DeepClone())] : null,
            Minimum = StructuralSchema.Number(schema["minimum"]),
            Maximum = StructuralSchema.Number(schema["maximum"]),
            ExclusiveMinimum = Flag(schema, "exclusiveMinimum"),
            ExclusiveMaximum = Flag(schema, "exclusiveMaximum"),
            MinLength = StructuralSchema.Number(schema["minLength"]),
            MaxLength = StructuralSchema.Number(schema["maxLength"]),
            MinItems = StructuralSchema.Number(schema["minItems"]),
            MaxItems = StructuralSchema.Number(schema["maxItems"]),
            Pattern = (string?)schema["pattern"] is { } pattern ? new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1)) : null,
        };
    }

    private static bool Flag(JsonObject schema, string name) => schema[name]?.GetValue<bool>() == true;
}
