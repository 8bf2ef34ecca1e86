using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using WgIsolate.KubeApiDouble.Tests.Support;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class PatchTests
{
    [Fact]
    public async Task MergePatch_MergesObjectsAndDeletesNulls()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var widget = Widgets.New("w", listenPort: 1000);
        widget["spec"]!["protocol"] = "TCP";
        await client.CreateAsync(widget);

        var patched = await client.PatchWidgetAsync("w", new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["a"] = "1" } },
            ["spec"] = new JsonObject { ["listenPort"] = 2000, ["protocol"] = null },
        }, V1Patch.PatchType.MergePatch);

        Assert.Equal(2000, (int)patched["spec"]!["listenPort"]!);
        Assert.Equal("wg-a", (string?)patched["spec"]!["interface"]);
        Assert.False(patched["spec"]!.AsObject().ContainsKey("protocol"));
        Assert.Equal("1", (string?)patched["metadata"]!["annotations"]!["a"]);
        Assert.Equal(2, Widgets.Generation(patched));
    }

    [Fact]
    public async Task MergePatch_CarryingAStaleResourceVersion_Conflicts()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CreateAsync(Widgets.New("w"));
        await client.PatchWidgetAsync("w", new JsonObject { ["spec"] = new JsonObject { ["listenPort"] = 1 } }, V1Patch.PatchType.MergePatch);

        await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict, () => client.PatchWidgetAsync("w", new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = created["metadata"]!["resourceVersion"]!.DeepClone() },
            ["spec"] = new JsonObject { ["listenPort"] = 2 },
        }, V1Patch.PatchType.MergePatch));
    }

    [Fact]
    public async Task ConcurrentMergePatches_AllApply_EachWithItsOwnResourceVersion()
    {
        // Writes are prepared outside the store's lock and committed only against the version they read; a patch
        // that lost the race must be applied again to the newer object, never overwrite it.
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CreateAsync(Widgets.New("w"));
        const int writers = 40;

        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(() => client.PatchWidgetAsync("w",
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [$"writer-{i}"] = "yes" } } },
            V1Patch.PatchType.MergePatch))));

        var final = await client.GetWidgetAsync("w");
        var labels = final["metadata"]!["labels"]!.AsObject().Select(l => l.Key).Where(k => k.StartsWith("writer-", StringComparison.Ordinal));
        Assert.Equal(writers, labels.Count());
        var versions = results.Select(ResourceVersion).ToHashSet();
        Assert.Equal(writers, versions.Count);
        Assert.Equal(ResourceVersion(created) + writers, versions.Max());

        static long ResourceVersion(JsonNode obj) => long.Parse((string)obj["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task JsonPatch_AppliesOperationsInOrder_AndFailsItsTest()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new() { Name = "cm" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/data/a", ["value"] = "1" },
            new JsonObject { ["op"] = "add", ["path"] = "/data/b", ["value"] = "2" },
            new JsonObject { ["op"] = "remove", ["path"] = "/data/a" }), V1Patch.PatchType.JsonPatch), "cm", "default");
        await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(new JsonArray(new JsonObject { ["op"] = "test", ["path"] = "/data/b", ["value"] = "9" }), V1Patch.PatchType.JsonPatch),
            "cm", "default"));

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, patched.Data);
    }

    [Fact]
    public async Task StrategicMergePatch_WorksOnNodeLabels_ButCustomResourcesRefuseIt()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new() { Name = "n", Labels = new Dictionary<string, string> { ["a"] = "1" } } });
        await client.CreateAsync(Widgets.New("w"));

        var node = await client.CoreV1.PatchNodeAsync(new V1Patch(
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["b"] = "2" } } },
            V1Patch.PatchType.StrategicMergePatch), "n");
        await ApiAssert.FailsWithAsync(HttpStatusCode.UnsupportedMediaType, () => client.PatchWidgetAsync("w",
            new JsonObject { ["spec"] = new JsonObject { ["listenPort"] = 2 } }, V1Patch.PatchType.StrategicMergePatch));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, node.Metadata.Labels);
    }
}
