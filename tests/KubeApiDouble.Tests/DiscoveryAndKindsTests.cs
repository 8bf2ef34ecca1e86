using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using WgIsolate.KubeApiDouble.Tests.Support;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class DiscoveryAndKindsTests
{
    [Fact]
    public async Task Discovery_AnswersVersionGroupsAndResources()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();

        var version = await client.Version.GetCodeAsync();
        var groups = await client.Apis.GetAPIVersionsAsync();
        var core = await client.CoreV1.GetAPIResourcesAsync();

        Assert.Equal("1", version.Major);
        Assert.Contains(groups.Groups, g => g.Name == Widgets.Group && g.PreferredVersion.Version == Widgets.Version);
        Assert.Contains(groups.Groups, g => g.Name == "coordination.k8s.io");
        Assert.Contains(core.Resources, r => r.Name == "pods/status");
    }

    [Fact]
    public async Task Events_AreServedInTheCoreAndEventsGroups()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var involved = new V1ObjectReference { Kind = "Widget", Name = "w", NamespaceProperty = "default" };

        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new() { GenerateName = "w." },
            InvolvedObject = involved,
            Reason = "Invalid",
            Message = "spec.listenPort is taken",
            Type = "Warning",
        }, "default");
        await client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new() { Name = "w.2" },
            EventTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Regarding = involved,
            Reason = "Invalid",
            Action = "Reconcile",
            ReportingController = "wgisolate.io/operator",
            ReportingInstance = "operator-0",
            Type = "Warning",
        }, "default");

        var core = Assert.Single((await client.CoreV1.ListNamespacedEventAsync("default")).Items);
        Assert.StartsWith("w.", core.Metadata.Name);
        Assert.Equal("spec.listenPort is taken", core.Message);
        Assert.Equal("w.2", Assert.Single((await client.EventsV1.ListNamespacedEventAsync("default")).Items).Metadata.Name);
    }

    [Fact]
    public async Task ClusterScopedCustomResources_AreServedWithoutNamespace()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();

        await client.CustomObjects.CreateClusterCustomObjectAsync(new JsonObject
        {
            ["apiVersion"] = $"{Widgets.Group}/v1",
            ["kind"] = "Gadget",
            ["metadata"] = new JsonObject { ["name"] = "node-1" },
            ["spec"] = new JsonObject { ["anything"] = "kept" },
        }, Widgets.Group, "v1", "gadgets");
        var gadget = Widgets.Node(await client.CustomObjects.GetClusterCustomObjectAsync(Widgets.Group, "v1", "gadgets", "node-1"));

        Assert.Equal("kept", (string?)gadget["spec"]!["anything"]);
        Assert.Null(gadget["metadata"]!["namespace"]);
        Assert.Equal(1, Widgets.Generation(gadget));
    }

    [Fact]
    public async Task UnknownResource_Is404WithAStatus()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();

        var status = await ApiAssert.FailsWithAsync(System.Net.HttpStatusCode.NotFound,
            () => client.CustomObjects.ListClusterCustomObjectAsync("nope.io", "v1", "things"));

        Assert.Equal("NotFound", status.Reason);
    }
}
