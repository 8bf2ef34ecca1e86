using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Json.Schema;
using WgIsolate.Core.Api;
using WgIsolate.KubeApiDouble.Schema;

namespace WgIsolate.Core.Tests.Crds;

public class CrdSchemaTests
{
    private static readonly HashSet<string> SchemaKeywords =
    [
        "type", "description", "properties", "items", "required", "enum", "minimum", "maximum", "minLength", "maxLength",
        "maxItems", "format", "default", "additionalProperties", "nullable", "x-kubernetes-validations", "x-kubernetes-map-type",
        "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-preserve-unknown-fields",
    ];

    public static TheoryData<string, Type> Crds => new()
    {
        { "isolatedapps.yaml", typeof(V1Alpha1IsolatedApp) },
        { "isolatednodes.yaml", typeof(V1Alpha1IsolatedNode) },
    };

    [Theory]
    [MemberData(nameof(Crds))]
    public void Schema_AndCSharpType_HaveExactlyTheSameFields(string file, Type type)
    {
        var differences = new List<string>();

        Compare(type, Schema(file), "", differences);

        Assert.Empty(differences);
    }

    [Theory]
    [MemberData(nameof(Crds))]
    public void Schema_EveryFieldHasADescriptionAndOnlySchemaKeywords(string file, Type type)
    {
        var problems = new List<string>();

        Inspect(Schema(file), type.Name, problems);

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Crds))]
    public void Chart_ShipsTheSameCrd(string file, Type type)
    {
        Assert.NotNull(type);
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Crds, file)), File.ReadAllText(Path.Combine(RepoPaths.Chart, "crds", file)));
    }

    [Fact]
    public void Examples_AllValidateAgainstTheIsolatedAppSchema()
    {
        var schema = JsonSchemaOf("isolatedapps.yaml");
        var documents = Directory.EnumerateFiles(RepoPaths.Examples, "*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => YamlToJson.ReadDocuments(File.ReadAllText(f)).Select(d => (File: f, Document: d)))
            .ToList();
        Assert.True(documents.Count >= 7, $"found only {documents.Count} example documents");

        foreach (var (file, document) in documents)
        {
            var result = schema.Evaluate(JsonSerializer.SerializeToElement(document), new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{file}: {Describe(result)}");
        }
    }

    [Theory]
    [InlineData("listenPort: 0")]
    [InlineData("ingress: [{port: 1, hostPort: 1, protocol: SCTP}]")]
    [InlineData("peers: [{namespace: x}]")]
    [InlineData("egress: {veth: maybe}")]
    public void Schema_RejectsWhatTheApiServerWould(string specLine)
    {
        var document = YamlToJson.ReadDocuments($"apiVersion: wgisolate.io/v1alpha1\nkind: IsolatedApp\nmetadata: {{name: a}}\nspec:\n  {specLine}\n").Single();

        var result = JsonSchemaOf("isolatedapps.yaml").Evaluate(JsonSerializer.SerializeToElement(document));

        Assert.False(result.IsValid);
    }

    private static JsonObject Schema(string file) =>
        YamlToJson.ReadDocuments(File.ReadAllText(Path.Combine(RepoPaths.Crds, file))).Single()!["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    /// <summary>The structural schema as plain JSON Schema: Kubernetes' own extensions dropped (CEL is not evaluated here).</summary>
    private static JsonSchema JsonSchemaOf(string file)
    {
        var schema = Schema(file).DeepClone();
        StripExtensions(schema);
        return JsonSchema.FromText(schema.ToJsonString());
    }

    private static void StripExtensions(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var key in o.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal) || k == "nullable").ToList())
            {
                o.Remove(key);
            }

            foreach (var child in o.Select(p => p.Value).ToList())
            {
                StripExtensions(child);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
            {
                StripExtensions(child);
            }
        }
    }

    private static void Compare(Type type, JsonObject schema, string path, List<string> differences)
    {
        var element = ElementType(type);
        if (element is not null)
        {
            if (schema["items"] is JsonObject items)
            {
                Compare(element, items, path + "[]", differences);
            }
            else
            {
                differences.Add($"{path}: C# has a list, the schema no items");
            }

            return;
        }

        var jsonProperties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.Property);
        if (jsonProperties.Count == 0 || IsDictionary(type))
        {
            return;
        }

        if (schema["properties"] is not JsonObject properties)
        {
            // An object schema without properties is opaque on purpose (metadata: the API server owns it).
            if (type != typeof(k8s.Models.V1ObjectMeta))
            {
                differences.Add($"{path}: the schema has no properties for {type.Name}");
            }

            return;
        }

        foreach (var (name, property) in jsonProperties)
        {
            if (properties[name] is JsonObject child)
            {
                Compare(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, child, Join(path, name), differences);
            }
            else
            {
                differences.Add($"{Join(path, name)}: in {type.Name} but not in the schema");
            }
        }

        foreach (var name in properties.Select(p => p.Key).Where(n => !jsonProperties.ContainsKey(n)))
        {
            differences.Add($"{Join(path, name)}: in the schema but not in {type.Name}");
        }
    }

    private static void Inspect(JsonObject schema, string path, List<string> problems)
    {
        foreach (var key in schema.Select(p => p.Key).Where(k => !SchemaKeywords.Contains(k)))
        {
            problems.Add($"{path}: \"{key}\" is not a schema keyword (an unquoted ', ' in a flow mapping?)");
        }

        // Items of a list of scalars are described by the list itself.
        var scalarItem = path.EndsWith("[]", StringComparison.Ordinal) && schema["type"]?.GetValue<string>() != "object";
        if (path.Split('.').Length > 1 && schema["description"] is null && !scalarItem && !path.EndsWith(".metadata", StringComparison.Ordinal))
        {
            problems.Add($"{path}: no description (kubectl explain would show nothing)");
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                Inspect(child!.AsObject(), $"{path}.{name}", problems);
            }
        }

        if (schema["items"] is JsonObject items)
        {
            Inspect(items, path + "[]", problems);
        }
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) || IsDictionary(type) || !typeof(IEnumerable).IsAssignableFrom(type)
            ? null
            : type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault();

    private static bool IsDictionary(Type type) =>
        type.IsGenericType && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Describe(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
}
