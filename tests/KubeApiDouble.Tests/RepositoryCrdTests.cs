using System.Net;
using System.Text.Json.Nodes;
using k8s;
using WgIsolate.KubeApiDouble.Tests.Support;

namespace WgIsolate.KubeApiDouble.Tests;

/// <summary>The product's own crds/ loaded into the double, as the operator's tests will use it.</summary>
public sealed class RepositoryCrdTests
{
    private const string Group = "wgisolate.io";
    private const string Version = "v1alpha1";

    private static string CrdFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WgIsolate.sln")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "crds");
    }

    private static Task<KubeApiServerDouble> StartAsync() =>
        KubeApiServerDouble.StartAsync(new KubeApiDoubleOptions { CrdFolders = [CrdFolder()] });

    private static JsonObject App(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "IsolatedApp",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    };

    [Fact]
    public async Task IsolatedApp_IsValidatedPrunedAndDefaultedByItsRealSchema()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();

        var created = Widgets.Node(await client.CustomObjects.CreateNamespacedCustomObjectAsync(App("receiver", new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "receiver" } },
            ["peers"] = new JsonArray(new JsonObject { ["name"] = "sender" }),
            ["egress"] = new JsonObject { ["veth"] = true },
            ["ingress"] = new JsonArray(new JsonObject { ["port"] = 1234, ["hostPort"] = 1234 }),
            ["notInTheSchema"] = "pruned",
        }), Group, Version, "demo", "isolatedapps"));
        var invalid = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(App("bad", new JsonObject
            {
                ["listenPort"] = 70000,
                ["ingress"] = new JsonArray(new JsonObject { ["port"] = 1, ["protocol"] = "SCTP" }),
            }), Group, Version, "demo", "isolatedapps"));

        var spec = created["spec"]!;
        Assert.Equal(1, Widgets.Generation(created));
        Assert.False(spec.AsObject().ContainsKey("notInTheSchema"));
        Assert.False((bool)spec["egress"]!["ipv4"]!);
        Assert.Equal("TCP", (string?)spec["ingress"]![0]!["protocol"]);
        Assert.Equal(
            ["spec.ingress[0].hostPort", "spec.ingress[0].protocol", "spec.listenPort"],
            invalid.Details.Causes.Select(c => c.Field).Order());
    }

    [Fact]
    public async Task IsolatedNode_IsClusterScoped_WithItsStatusOwnedByTheSubresource()
    {
        await using var api = await StartAsync();
        var client = api.CreateClient();
        var node = new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}",
            ["kind"] = "IsolatedNode",
            ["metadata"] = new JsonObject { ["name"] = "node-1" },
            ["spec"] = new JsonObject(),
        };

        var created = Widgets.Node(await client.CustomObjects.CreateClusterCustomObjectAsync(node, Group, Version, "isolatednodes"));
        var status = Widgets.Node(await client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new k8s.Models.V1Patch(new JsonObject { ["status"] = new JsonObject { ["interfaces"] = new JsonArray() } },
                k8s.Models.V1Patch.PatchType.MergePatch), Group, Version, "isolatednodes", "node-1"));

        Assert.Null(created["metadata"]!["namespace"]);
        Assert.NotNull(status["status"]!["interfaces"]);
        Assert.Equal(1, Widgets.Generation(status));
        Assert.True(Widgets.Rv(status) > Widgets.Rv(created));
    }
}
