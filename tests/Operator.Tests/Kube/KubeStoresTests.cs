using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Kube;

namespace WgIsolate.Operator.Tests.Kube;

/// <summary>The narrow stores' requests, made by the real client, against resourceVersion-checking endpoints.</summary>
public sealed class KubeStoresTests : IAsyncLifetime
{
    private readonly ObjectEndpoints _apps = new();
    private readonly ObjectEndpoints _secrets = new();
    private readonly List<JsonObject> _events = [];
    private LoopbackApi? _api;

    public async Task InitializeAsync()
    {
        _api = await LoopbackApi.StartAsync(server =>
        {
            _apps.Map(server, "/apis/wgisolate.io/v1alpha1/namespaces/demo/isolatedapps");
            _secrets.Map(server, "/api/v1/namespaces/ops/secrets");
            server.MapPost("/api/v1/namespaces/demo/events", async (Microsoft.AspNetCore.Http.HttpRequest request) =>
            {
                var e = (await JsonNode.ParseAsync(request.Body))!.AsObject();
                lock (_events) _events.Add(e);
                return Microsoft.AspNetCore.Http.Results.Text(e.ToJsonString(), "application/json");
            });
        });
    }

    private IKubernetes Client => _api!.Client;

    private static JsonObject Json<T>(T obj) => JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();

    private void StoreApp(string? status = null)
    {
        var app = new V1Alpha1IsolatedApp { Metadata = new V1ObjectMeta { Name = "receiver", NamespaceProperty = "demo", Uid = "u1" } };
        app.Spec.Peers = [new PeerReference { Name = "sender" }];
        if (status is not null) app.Status = new IsolatedAppStatus { Subnet = status };
        _apps.Put("receiver", Json(app));
    }

    [Fact]
    public async Task AppStatus_GoesThroughTheStatusSubresourceAndLeavesTheSpec()
    {
        StoreApp();
        var store = new KubeIsolatedAppStore(Client);

        await store.SetStatusAsync("demo", "receiver", new IsolatedAppStatus { Subnet = "fd00:1::/64", ObservedGeneration = 2 }, CancellationToken.None);

        Assert.Equal(["GET", "PUT status"], _apps.Log);
        Assert.Equal("fd00:1::/64", _apps["receiver"]!["status"]!["subnet"]!.GetValue<string>());
        Assert.Equal("sender", _apps["receiver"]!["spec"]!["peers"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task AppStatus_AnAgentOrUserWroteInBetween_RetriesFromAFreshRead()
    {
        StoreApp();
        _apps.BeforeNextWrite = () =>
        {
            var changed = _apps["receiver"]!;
            changed["metadata"]!["labels"] = new JsonObject { ["touched"] = "yes" };
            _apps.Put("receiver", changed);
        };

        await new KubeIsolatedAppStore(Client).SetStatusAsync("demo", "receiver", new IsolatedAppStatus { Subnet = "fd00:1::/64" }, CancellationToken.None);

        Assert.Equal(["GET", "PUT status 409", "GET", "PUT status"], _apps.Log);
        Assert.Equal("fd00:1::/64", _apps["receiver"]!["status"]!["subnet"]!.GetValue<string>());
    }

    [Fact]
    public async Task Finalizer_AddedOnceAndRemoved_GoneAppIsNoError()
    {
        StoreApp(status: "fd00:9::/64");
        var store = new KubeIsolatedAppStore(Client);

        Assert.True(await store.SetFinalizerAsync("demo", "receiver", "wgisolate.io/cleanup", present: true, CancellationToken.None));
        Assert.True(await store.SetFinalizerAsync("demo", "receiver", "wgisolate.io/cleanup", present: true, CancellationToken.None));
        Assert.Equal(["wgisolate.io/cleanup"], _apps["receiver"]!["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.True(await store.SetFinalizerAsync("demo", "receiver", "wgisolate.io/cleanup", present: false, CancellationToken.None));

        Assert.Empty(_apps["receiver"]!["metadata"]!["finalizers"]!.AsArray());
        Assert.Equal("fd00:9::/64", _apps["receiver"]!["status"]!["subnet"]!.GetValue<string>());
        Assert.Equal(["GET", "PUT", "GET", "GET", "PUT"], _apps.Log);
        Assert.False(await store.SetFinalizerAsync("demo", "gone", "wgisolate.io/cleanup", present: false, CancellationToken.None));
    }

    [Fact]
    public async Task PresharedKeys_GeneratedOnceKeptAndPruned()
    {
        var store = new KubePresharedKeyStore(Client, "ops", "wgisolate-psk");

        Assert.True(await store.EnsureAsync(new HashSet<string> { "a--b", "a--c" }, prune: false, CancellationToken.None));
        var first = Keys();
        Assert.False(await store.EnsureAsync(new HashSet<string> { "a--b", "a--c" }, prune: false, CancellationToken.None));
        Assert.False(await store.EnsureAsync(new HashSet<string> { "a--b" }, prune: false, CancellationToken.None));
        Assert.True(await store.EnsureAsync(new HashSet<string> { "a--b" }, prune: true, CancellationToken.None));

        Assert.Equal(["a--b"], Keys().Keys);
        Assert.Equal(first["a--b"], Keys()["a--b"]);
        Assert.NotEqual(first["a--b"], first["a--c"]);
        Assert.Equal(32, Convert.FromBase64String(first["a--b"]).Length);
        Assert.Equal(["GET 404", "POST", "GET", "GET", "GET", "PUT"], _secrets.Log);
    }

    private Dictionary<string, string> Keys() =>
        _secrets["wgisolate-psk"]!["data"]!.AsObject().ToDictionary(kv => kv.Key, kv => Encoding.ASCII.GetString(Convert.FromBase64String(kv.Value!.GetValue<string>())));

    [Fact]
    public async Task Events_SameSituationTwice_IsRecordedOnce()
    {
        var recorder = new KubeEventRecorder(Client, TimeProvider.System, NullLogger<KubeEventRecorder>.Instance);
        var app = new V1Alpha1IsolatedApp { Metadata = new V1ObjectMeta { Name = "receiver", NamespaceProperty = "demo", Uid = "u1" } };

        await recorder.WarningAsync(app, "InvalidSpec", "spec.listenPort: 70000 is not a port", CancellationToken.None);
        await recorder.WarningAsync(app, "InvalidSpec", "spec.listenPort: 70000 is not a port", CancellationToken.None);
        await recorder.NormalAsync(app, "Allocated", "subnet fd00:1::/64", CancellationToken.None);

        Assert.Equal(["InvalidSpec", "Allocated"], _events.Select(e => e["reason"]!.GetValue<string>()));
        var first = _events[0];
        Assert.Equal(("Warning", "IsolatedApp", "receiver", "u1"), (first["type"]!.GetValue<string>(),
            first["involvedObject"]!["kind"]!.GetValue<string>(), first["involvedObject"]!["name"]!.GetValue<string>(),
            first["involvedObject"]!["uid"]!.GetValue<string>()));
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
    }
}
