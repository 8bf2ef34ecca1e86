using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace WgIsolate.KubeApiDouble.Tests.Support;

/// <summary>The test CRD's Widget through the client's generic CustomObjects calls, as JSON nodes.</summary>
internal static class Widgets
{
    public const string Group = "doubletest.wgisolate.io";
    public const string Version = "v1";
    public const string Plural = "widgets";
    public const string Namespace = "default";

    public static JsonObject New(string name, string iface = "wg-a", int? listenPort = null) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = listenPort is null
            ? new JsonObject { ["interface"] = iface }
            : new JsonObject { ["interface"] = iface, ["listenPort"] = listenPort },
    };

    public static async Task<JsonObject> CreateAsync(this IKubernetes client, JsonObject widget) =>
        Node(await client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, Group, Version, Namespace, Plural));

    public static async Task<JsonObject> GetWidgetAsync(this IKubernetes client, string name) =>
        Node(await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, Namespace, Plural, name));

    public static async Task<JsonObject> ReplaceWidgetAsync(this IKubernetes client, JsonObject widget) =>
        Node(await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(widget, Group, Version, Namespace, Plural, Name(widget)));

    public static async Task<JsonObject> ReplaceWidgetStatusAsync(this IKubernetes client, JsonObject widget) =>
        Node(await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(widget, Group, Version, Namespace, Plural, Name(widget)));

    public static async Task<JsonObject> PatchWidgetAsync(this IKubernetes client, string name, object patch, V1Patch.PatchType type) =>
        Node(await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch, type), Group, Version, Namespace, Plural, name));

    public static async Task<JsonObject> PatchWidgetStatusAsync(this IKubernetes client, string name, object patch) =>
        Node(await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch, V1Patch.PatchType.MergePatch), Group, Version, Namespace, Plural, name));

    public static async Task<JsonObject> DeleteWidgetAsync(this IKubernetes client, string name) =>
        Node(await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, Namespace, Plural, name));

    public static string Name(JsonObject obj) => (string)obj["metadata"]!["name"]!;

    public static long Rv(JsonObject obj) => long.Parse((string)obj["metadata"]!["resourceVersion"]!);

    public static long Generation(JsonObject obj) => (long)obj["metadata"]!["generation"]!;

    public static JsonObject Node(object response) => JsonSerializer.SerializeToNode(response)!.AsObject();
}
