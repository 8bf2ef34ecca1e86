using System.Text.Json.Nodes;
using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble.Http;

/// <summary>The discovery documents (/version, /api, /apis, /api/v1, /apis/{group}[/{version}]): minimal but valid.</summary>
public static class Discovery
{
    public static JsonObject? Answer(string[] segments, KindRegistry kinds) => segments switch
    {
        ["version"] => new JsonObject
        {
            ["major"] = "1",
            ["minor"] = "34",
            ["gitVersion"] = "v1.34.0-wgisolate-apidouble",
            ["platform"] = "linux/amd64",
        },
        ["api"] => new JsonObject
        {
            ["kind"] = "APIVersions",
            ["versions"] = new JsonArray("v1"),
            ["serverAddressByClientCIDRs"] = new JsonArray(),
        },
        ["apis"] => new JsonObject
        {
            ["kind"] = "APIGroupList",
            ["apiVersion"] = "v1",
            ["groups"] = new JsonArray(Groups(kinds).Select(g => (JsonNode)Group(g.Key, g)).ToArray()),
        },
        ["apis", var group] when Groups(kinds).FirstOrDefault(g => g.Key == group) is { } found => Group(group, found),
        ["api", "v1"] => Resources("", "v1", kinds),
        ["apis", var group, var version] when kinds.All.Any(k => k.Group == group && k.Version == version) =>
            Resources(group, version, kinds),
        _ => null,
    };

    private static IEnumerable<IGrouping<string, ResourceKind>> Groups(KindRegistry kinds) =>
        kinds.All.Where(k => k.Group.Length > 0).GroupBy(k => k.Group);

    private static JsonObject Group(string name, IEnumerable<ResourceKind> kinds)
    {
        var versions = kinds.Select(k => k.Version).Distinct().Select(v => new JsonObject
        {
            ["groupVersion"] = $"{name}/{v}",
            ["version"] = v,
        }).ToList();
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)v.DeepClone()).ToArray()),
            ["preferredVersion"] = versions[0].DeepClone(),
        };
    }

    private static JsonObject Resources(string group, string version, KindRegistry kinds)
    {
        var resources = new JsonArray();
        foreach (var kind in kinds.All.Where(k => k.Group == group && k.Version == version))
        {
            resources.Add(Resource(kind.Plural, kind, ["create", "delete", "get", "list", "patch", "update", "watch"]));
            if (kind.HasStatusSubresource)
            {
                resources.Add(Resource(kind.Plural + "/status", kind, ["get", "patch", "update"]));
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Resource(string name, ResourceKind kind, string[] verbs) => new()
    {
        ["name"] = name,
        ["singularName"] = kind.Kind.ToLowerInvariant(),
        ["namespaced"] = kind.Namespaced,
        ["kind"] = kind.Kind,
        ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
    };
}
