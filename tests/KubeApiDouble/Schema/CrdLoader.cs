using System.Text.Json.Nodes;
using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble.Schema;

/// <summary>Turns CustomResourceDefinition manifests into served kinds, one per served version.</summary>
public static class CrdLoader
{
    public static IReadOnlyList<ResourceKind> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"CRD folder {folder} does not exist");
        }
        return Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => LoadManifest(File.ReadAllText(f), f))
            .ToList();
    }

    public static IReadOnlyList<ResourceKind> LoadManifest(string yaml, string source = "<inline>") =>
        YamlToJson.ReadDocuments(yaml)
            .OfType<JsonObject>()
            .Where(d => (string?)d["kind"] == "CustomResourceDefinition")
            .SelectMany(d => FromCrd(d, source))
            .ToList();

    private static IEnumerable<ResourceKind> FromCrd(JsonObject crd, string source)
    {
        var spec = crd["spec"]?.AsObject() ?? throw new InvalidDataException($"{source}: CRD without spec");
        var group = Required(spec, "group", source);
        var names = spec["names"]?.AsObject() ?? throw new InvalidDataException($"{source}: CRD without spec.names");
        var plural = Required(names, "plural", source);
        var kind = Required(names, "kind", source);
        var namespaced = Required(spec, "scope", source) == "Namespaced";
        foreach (var version in spec["versions"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (version["served"]?.GetValue<bool>() == false)
            {
                continue;
            }
            var hasStatus = version["subresources"]?["status"] is not null;
            var schema = version["schema"]?["openAPIV3Schema"]?.DeepClone().AsObject();
            yield return new ResourceKind(group, Required(version, "name", source), plural, kind, namespaced,
                hasStatus, TracksGeneration: true, ResetsStatusOnCreate: hasStatus,
                RequiresResourceVersionOnUpdate: true, schema);
        }
    }

    private static string Required(JsonObject o, string field, string source) =>
        (string?)o[field] ?? throw new InvalidDataException($"{source}: CRD field {field} is missing");
}
