using System.Net;
using k8s;
using k8s.Models;
using WgIsolate.KubeApiDouble.Tests.Support;
using static WgIsolate.KubeApiDouble.Tests.Support.ConfigMaps;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class CrudTests
{
    [Fact]
    public async Task Create_Get_Replace_Delete_RoundTripsWithIncreasingResourceVersions()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cm", "1"), "default");
        var fetched = await client.CoreV1.ReadNamespacedConfigMapAsync("cm", "default");
        fetched.Data["k"] = "2";
        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(fetched, "cm", "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("cm", "default");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("default", created.Metadata.NamespaceProperty);
        Assert.Equal(created.Metadata.ResourceVersion, fetched.Metadata.ResourceVersion);
        Assert.Equal("2", replaced.Data["k"]);
        Assert.True(ApiAssert.Rv(replaced) > ApiAssert.Rv(created));
        Assert.True(api.CurrentResourceVersion > ApiAssert.Rv(replaced));
        await ApiAssert.FailsWithAsync(HttpStatusCode.NotFound, () => client.CoreV1.ReadNamespacedConfigMapAsync("cm", "default"));
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_Conflicts()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var stale = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cm", "1"), "default");
        var fresh = await client.CoreV1.ReadNamespacedConfigMapAsync("cm", "default");
        fresh.Data["k"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(fresh, "cm", "default");

        stale.Data["k"] = "3";
        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict,
            () => client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "cm", "default"));

        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("2", (await client.CoreV1.ReadNamespacedConfigMapAsync("cm", "default")).Data["k"]);
    }

    [Fact]
    public async Task Create_OfAnExistingName_IsAlreadyExists()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict,
            () => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, "default"));

        Assert.Equal("AlreadyExists", status.Reason);
    }

    [Fact]
    public async Task Replace_WithoutResourceVersion_IsAllowedForCoreKindsButNotForCustomResources()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cm", "1"), "default");
        var widget = await client.CreateAsync(Widgets.New("w"));

        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(ConfigMap("cm", "2"), "cm", "default");
        widget["metadata"]!.AsObject().Remove("resourceVersion");
        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.ReplaceWidgetAsync(widget));

        Assert.Equal("2", replaced.Data["k"]);
        Assert.Contains(status.Details.Causes, c => c.Field == "metadata.resourceVersion");
    }

    [Fact]
    public async Task ReplaceThatChangesNothing_KeepsTheResourceVersion()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cm", "1"), "default");

        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cm", "default");

        Assert.Equal(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task List_CarriesTheCurrentResourceVersionAndOnlyTheRequestedNamespace()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", "1"), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", "1"), "other");

        var inDefault = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        var everywhere = await client.CoreV1.ListConfigMapForAllNamespacesAsync();

        Assert.Equal(["a"], inDefault.Items.Select(c => c.Metadata.Name));
        Assert.Equal(["a", "b"], everywhere.Items.Select(c => c.Metadata.Name).Order());
        Assert.Equal(api.CurrentResourceVersion.ToString(), everywhere.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ClusterScopedNodes_AreServedWithoutNamespace()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();

        await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new() { Name = "node-1" } });
        var node = await client.CoreV1.ReadNodeAsync("node-1");

        Assert.Null(node.Metadata.NamespaceProperty);
        Assert.Single((await client.CoreV1.ListNodeAsync()).Items);
    }
}
