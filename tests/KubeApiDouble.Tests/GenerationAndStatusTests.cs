using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using WgIsolate.KubeApiDouble.Tests.Support;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class GenerationAndStatusTests
{
    [Fact]
    public async Task Generation_BumpsOnSpecChangesOnly()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CreateAsync(Widgets.New("w"));

        created["metadata"]!["labels"] = new JsonObject { ["tier"] = "a" };
        var relabelled = await client.ReplaceWidgetAsync(created);
        relabelled["spec"]!["listenPort"] = 51820;
        var respecced = await client.ReplaceWidgetAsync(relabelled);
        respecced["status"] = new JsonObject { ["phase"] = "Ready" };
        var statused = await client.ReplaceWidgetStatusAsync(respecced);

        Assert.Equal(1, Widgets.Generation(created));
        Assert.Equal(1, Widgets.Generation(relabelled));
        Assert.Equal(2, Widgets.Generation(respecced));
        Assert.Equal(2, Widgets.Generation(statused));
        Assert.True(Widgets.Rv(statused) > Widgets.Rv(respecced));
    }

    [Fact]
    public async Task ConfigMaps_HaveNoGeneration()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new() { Name = "cm" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");
        created.Data["a"] = "2";
        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cm", "default");

        Assert.Null(created.Metadata.Generation);
        Assert.Null(replaced.Metadata.Generation);
    }

    [Fact]
    public async Task MainResourceWrites_IgnoreStatus()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var widget = Widgets.New("w");
        widget["status"] = new JsonObject { ["phase"] = "SetOnCreate" };

        var created = await client.CreateAsync(widget);
        var statusOnCreate = created["status"]?.DeepClone();
        created["status"] = new JsonObject { ["phase"] = "SetOnUpdate" };
        created["spec"]!["listenPort"] = 1000;
        var updated = await client.ReplaceWidgetAsync(created);

        Assert.Null(statusOnCreate);
        Assert.Null(updated["status"]);
        Assert.Equal(1000, (int)updated["spec"]!["listenPort"]!);
    }

    [Fact]
    public async Task StatusWrites_IgnoreSpecAndMetadata()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CreateAsync(Widgets.New("w", listenPort: 1000));

        created["spec"]!["listenPort"] = 2000;
        created["metadata"]!["labels"] = new JsonObject { ["sneaky"] = "yes" };
        created["status"] = new JsonObject { ["phase"] = "Ready" };
        var updated = await client.ReplaceWidgetStatusAsync(created);
        var patched = await client.PatchWidgetStatusAsync("w", new JsonObject
        {
            ["spec"] = new JsonObject { ["listenPort"] = 3000 },
            ["status"] = new JsonObject { ["observedGeneration"] = 1 },
        });

        Assert.Equal("Ready", (string?)updated["status"]!["phase"]);
        Assert.Equal(1000, (int)updated["spec"]!["listenPort"]!);
        Assert.Null(updated["metadata"]!["labels"]);
        Assert.Equal(1000, (int)patched["spec"]!["listenPort"]!);
        Assert.Equal("Ready", (string?)patched["status"]!["phase"]);
        Assert.Equal(1, (int)patched["status"]!["observedGeneration"]!);
    }

    [Fact]
    public async Task Pods_DropStatusOnCreate_AndTakeItThroughTheStatusSubresource()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var pod = new V1Pod
        {
            Metadata = new() { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            Status = new V1PodStatus { Phase = "Running" },
        };

        var created = await client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        var phaseOnCreate = created.Status?.Phase;
        created.Status = new V1PodStatus { Phase = "Running", PodIP = "10.0.0.5" };
        var withStatus = await client.CoreV1.ReplaceNamespacedPodStatusAsync(created, "p", "default");

        Assert.Null(phaseOnCreate);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal("Running", withStatus.Status.Phase);
        Assert.Equal("10.0.0.5", withStatus.Status.PodIP);
        Assert.Equal(1, withStatus.Metadata.Generation);
    }
}
