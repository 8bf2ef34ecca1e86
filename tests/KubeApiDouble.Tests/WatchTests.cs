using k8s;
using k8s.Autorest;
using k8s.Models;
using WgIsolate.KubeApiDouble.Tests.Support;
using static WgIsolate.KubeApiDouble.Tests.Support.ConfigMaps;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class WatchTests
{
    internal static WatchRecorder<V1ConfigMap> WatchConfigMaps(IKubernetes client, string? resourceVersion = null,
        bool bookmarks = false, string? labelSelector = null) =>
        WatchRecorder<V1ConfigMap>.Start((onError, token) => client.CoreV1.WatchListNamespacedConfigMapAsync("default",
            allowWatchBookmarks: bookmarks, labelSelector: labelSelector, resourceVersion: resourceVersion,
            onError: onError, cancellationToken: token));

    [Fact]
    public async Task WatchFromAResourceVersion_ReplaysEveryLaterChangeInOrder_ThenStreamsLiveOnes()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var start = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var b = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");
        b.Data["k"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(b, "b", "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");

        await using var watch = WatchConfigMaps(client, start.Metadata.ResourceVersion);
        var replayed = await watch.NextAsync(3);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c"), "default");
        var live = await watch.NextAsync();

        Assert.Equal(
            [(WatchEventType.Added, "b"), (WatchEventType.Modified, "b"), (WatchEventType.Deleted, "a"), (WatchEventType.Added, "c")],
            replayed.Append(live).Select(e => (e.Type, e.Object.Metadata.Name)));
        var versions = replayed.Append(live).Select(e => ApiAssert.Rv(e.Object)).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.True(versions[0] > ApiAssert.Rv(start));
    }

    [Fact]
    public async Task WatchWithoutResourceVersion_StartsWithAddedForEveryExistingObject()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "other");

        await using var watch = WatchConfigMaps(client);
        var first = await watch.NextAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c"), "default");
        var second = await watch.NextAsync();

        Assert.Equal((WatchEventType.Added, "a"), (first.Type, first.Object.Metadata.Name));
        Assert.Equal((WatchEventType.Added, "c"), (second.Type, second.Object.Metadata.Name));
    }

    [Fact]
    public async Task Bookmarks_ArriveWhenAsked_WithTheLatestResourceVersion()
    {
        await using var api = await ApiDouble.StartAsync(bookmarkInterval: TimeSpan.FromMilliseconds(100));
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        await using var watch = WatchConfigMaps(client, created.Metadata.ResourceVersion, bookmarks: true);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "unrelated" } }, "default");
        (WatchEventType Type, V1ConfigMap Object) bookmark;
        do
        {
            bookmark = await watch.NextAsync();
        }
        while (ApiAssert.Rv(bookmark.Object) < api.CurrentResourceVersion);

        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(api.CurrentResourceVersion, ApiAssert.Rv(bookmark.Object));
    }

    [Fact]
    public async Task WatchWithoutBookmarks_GetsNone()
    {
        await using var api = await ApiDouble.StartAsync(bookmarkInterval: TimeSpan.FromMilliseconds(50));
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        await using var watch = WatchConfigMaps(client, created.Metadata.ResourceVersion);
        await Task.Delay(300);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");
        var next = await watch.NextAsync();

        Assert.Equal((WatchEventType.Added, "b"), (next.Type, next.Object.Metadata.Name));
    }

    [Fact]
    public async Task WatchFromACompactedResourceVersion_GetsAnError410_AndAnExactListFromItGets410()
    {
        await using var api = await ApiDouble.StartAsync(historyLimit: 2);
        var client = api.CreateClient();
        var old = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        for (var i = 0; i < 3; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"n{i}"), "default");
        }

        await using var watch = WatchConfigMaps(client, old.Metadata.ResourceVersion);
        var events = await watch.ClosedAsync();
        var list = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync(
            "default", resourceVersion: old.Metadata.ResourceVersion, resourceVersionMatch: "Exact"));
        var notOlderThan = await client.CoreV1.ListNamespacedConfigMapAsync("default", resourceVersion: old.Metadata.ResourceVersion);

        Assert.Empty(events);
        var error = Assert.IsType<KubernetesException>(Assert.Single(watch.Errors));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.Equal(System.Net.HttpStatusCode.Gone, list.Response.StatusCode);
        Assert.Equal(4, notOlderThan.Items.Count);
    }

    [Fact]
    public async Task WatchWithALabelSelector_SeesObjectsEnterAndLeaveTheSelection()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        await using var watch = WatchConfigMaps(client, created.Metadata.ResourceVersion, labelSelector: "app=x");
        created.Metadata.Labels = new Dictionary<string, string> { ["app"] = "x" };
        var labelled = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default");
        labelled.Data["k"] = "2";
        var changed = await client.CoreV1.ReplaceNamespacedConfigMapAsync(labelled, "a", "default");
        changed.Metadata.Labels = null;
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(changed, "a", "default");

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted],
            (await watch.NextAsync(3)).Select(e => e.Type));
    }

    [Fact]
    public async Task ExactList_ReturnsTheStateAsOfThatResourceVersion()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var a = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", "old"), "default");
        a.Data["k"] = "new";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(a, "a", "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");

        var then = await client.CoreV1.ListNamespacedConfigMapAsync("default",
            resourceVersion: a.Metadata.ResourceVersion, resourceVersionMatch: "Exact");

        Assert.Equal(a.Metadata.ResourceVersion, then.Metadata.ResourceVersion);
        Assert.Equal([("a", "old")], then.Items.Select(c => (c.Metadata.Name, c.Data["k"])));
    }
}
