using System.Net;
using k8s;
using k8s.Models;
using WgIsolate.KubeApiDouble.Tests.Support;
using static WgIsolate.KubeApiDouble.Tests.Support.ConfigMaps;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task DropWatchesAfterEvents_ClosesEachWatchAfterThatManyEvents()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var start = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("start"), "default");
        for (var i = 0; i < 5; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"c{i}"), "default");
        }
        api.Faults.DropWatchesAfterEvents = 2;

        await using var watch = WatchTests.WatchConfigMaps(client, start.Metadata.ResourceVersion);
        var events = await watch.ClosedAsync();

        Assert.Equal(["c0", "c1"], events.Select(e => e.Object.Metadata.Name));
        Assert.Empty(watch.Errors);
    }

    [Fact]
    public async Task FailWrites_FailsTheNextMatchingWritesOnly_WithoutStoringThem()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        api.Faults.FailWrites("create", "configmaps", count: 2);

        await ApiAssert.FailsWithAsync(HttpStatusCode.InternalServerError,
            () => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default"));
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "unaffected" } }, "default");
        await ApiAssert.FailsWithAsync(HttpStatusCode.InternalServerError,
            () => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default"));
        var third = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        Assert.Equal("a", third.Metadata.Name);
        Assert.Equal(2, api.Requests.Entries.Count(r => r.Verb == "create" && r.Resource == "configmaps" && r.StatusCode == 500));
    }

    [Fact]
    public async Task FailWrites_OnTheStatusSubresource_LeavesMainResourceWritesAlone()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CreateAsync(Widgets.New("w"));
        api.Faults.FailWrites("*", "widgets/status", count: 1, statusCode: 503);

        created["status"] = new System.Text.Json.Nodes.JsonObject { ["phase"] = "Ready" };
        await ApiAssert.FailsWithAsync(HttpStatusCode.ServiceUnavailable, () => client.ReplaceWidgetStatusAsync(created));
        created["spec"]!["listenPort"] = 5;
        var updated = await client.ReplaceWidgetAsync(created);

        Assert.Equal(5, (int)updated["spec"]!["listenPort"]!);
    }

    [Fact]
    public async Task ExpireWatchResumes_Answers410ToResumingWatches_ButNotToFreshOnes()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        api.Faults.ExpireWatchResumes(1);

        await using var resumed = WatchTests.WatchConfigMaps(client, created.Metadata.ResourceVersion);
        await resumed.ClosedAsync();
        await using var fresh = WatchTests.WatchConfigMaps(client);
        var first = await fresh.NextAsync();

        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(resumed.Errors)).Status.Code);
        Assert.Equal("a", first.Object.Metadata.Name);
    }

    [Fact]
    public async Task RestartWithCompactedHistory_ClosesEveryWatch_AndOnlyResumesFromTheCurrentVersionSucceed()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var old = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var latest = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");
        await using var open = WatchTests.WatchConfigMaps(client, old.Metadata.ResourceVersion);
        var replayed = await open.NextAsync();

        api.RestartWithCompactedHistory();
        var watchesAfterRestart = api.OpenWatches;
        await open.ClosedAsync();
        await using var stale = WatchTests.WatchConfigMaps(client, old.Metadata.ResourceVersion);
        await stale.ClosedAsync();
        await using var current = WatchTests.WatchConfigMaps(client, latest.Metadata.ResourceVersion);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c"), "default");

        Assert.Equal("b", replayed.Object.Metadata.Name);
        Assert.Empty(open.Errors);
        Assert.Equal(0, watchesAfterRestart);
        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(stale.Errors)).Status.Code);
        Assert.Equal("c", (await current.NextAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task FreezeWrites_HoldsTheNthMatchingWriteAndEveryLaterOneOfThatClient_ThawCommittingStoresThem()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        using var other = ClientWithToken(api, "other-client");
        var freeze = api.Faults.FreezeWrites("create", "configmaps", nth: 2, token: "apidouble-token");

        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("first"), "default");
        var second = client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("second"), "default");
        await freeze.Frozen.WaitAsync(TimeSpan.FromSeconds(10));
        var secret = client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "later" } }, "default");
        await other.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("unfrozen"), "default");
        await WaitUntilAsync(() => freeze.Held == 2);
        var storedWhileFrozen = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(c => c.Metadata.Name).Order().ToList();

        freeze.Thaw(commit: true);
        await freeze.Settled.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.WhenAll(second, secret).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["first", "unfrozen"], storedWhileFrozen);
        Assert.Equal(["first", "second", "unfrozen"], (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(c => c.Metadata.Name).Order());
        Assert.Equal("later", (await client.CoreV1.ReadNamespacedSecretAsync("later", "default")).Metadata.Name);
    }

    [Fact]
    public async Task FreezeWrites_ThawWithoutCommitting_LosesTheHeldWrites_AndLaterWritesPass()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var freeze = api.Faults.FreezeWrites("*", "configmaps", nth: 1);

        var held = client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("held"), "default");
        await freeze.Frozen.WaitAsync(TimeSpan.FromSeconds(10));
        freeze.Thaw(commit: false);
        await ApiAssert.FailsWithAsync(HttpStatusCode.ServiceUnavailable, () => held);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("after"), "default");

        Assert.Equal(["after"], (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(c => c.Metadata.Name));
        Assert.Equal([503, 201], api.Requests.Entries.Where(r => r.Verb == "create").Select(r => r.StatusCode));
    }

    private static Kubernetes ClientWithToken(KubeApiServerDouble api, string token) =>
        new(new KubernetesClientConfiguration { Host = api.BaseAddress.ToString(), AccessToken = token });

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !condition(); await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "condition never held");
        }
    }

    [Fact]
    public async Task RequestLog_CountsRequestsByVerbAndResource()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "a", "default");
        await client.CreateAsync(Widgets.New("w"));
        await client.PatchWidgetStatusAsync("w", new System.Text.Json.Nodes.JsonObject());
        await client.CoreV1.ListNamespacedConfigMapAsync("default");

        Assert.Equal(1, api.Requests.Count("create", "configmaps"));
        Assert.Equal(1, api.Requests.Count("get", "configmaps"));
        Assert.Equal(1, api.Requests.Count("update", "configmaps"));
        Assert.Equal(1, api.Requests.Count("patch", "widgets/status"));
        Assert.Equal(1, api.Requests.Count("list", "configmaps"));
        Assert.Equal(4, api.Requests.Writes);
        Assert.All(api.Requests.Entries, r => Assert.Equal("apidouble-token", r.Token));
        api.Requests.Clear();
        Assert.Empty(api.Requests.Entries);
    }
}
