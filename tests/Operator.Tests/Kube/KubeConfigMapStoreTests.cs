using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WgIsolate.Operator.Kube;

namespace WgIsolate.Operator.Tests.Kube;

/// <summary>
/// The real client against one ConfigMap endpoint that checks resourceVersion like the API server: a stale write
/// gets 409, and the store must read again and re-apply its change rather than overwrite the other writer.
/// </summary>
public sealed class KubeConfigMapStoreTests : IAsyncLifetime
{
    private readonly Lock _lock = new();
    private LoopbackApi? _api;
    private JsonObject? _stored;
    private int _version = 1;
    private readonly List<string> _log = [];

    /// <summary>Runs once, between the store's read and its write: another writer sneaking in.</summary>
    private Action? _beforeNextWrite;

    public async Task InitializeAsync()
    {
        const string path = "/api/v1/namespaces/ops/configmaps";
        _api = await LoopbackApi.StartAsync(server =>
        {
            server.MapGet(path + "/state", Read);
            server.MapPost(path, async (HttpRequest request) => Write(await JsonNode.ParseAsync(request.Body) as JsonObject, create: true));
            server.MapPut(path + "/state", async (HttpRequest request) => Write(await JsonNode.ParseAsync(request.Body) as JsonObject, create: false));
        });
    }

    private IResult Read()
    {
        lock (_lock)
        {
            _log.Add("GET");
            return _stored is null ? Results.Json(NotFound(), statusCode: 404) : Results.Text(_stored.ToJsonString(), "application/json");
        }
    }

    private IResult Write(JsonObject? body, bool create)
    {
        var sneak = Interlocked.Exchange(ref _beforeNextWrite, null);
        sneak?.Invoke();
        lock (_lock)
        {
            _log.Add(create ? "POST" : "PUT");
            var rv = body!["metadata"]!["resourceVersion"]?.GetValue<string>();
            if (create ? _stored is not null : rv != _stored?["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                _log.Add("409");
                return Results.Json(new { kind = "Status", apiVersion = "v1", status = "Failure", reason = "Conflict", code = 409 }, statusCode: 409);
            }

            body["metadata"]!["resourceVersion"] = $"{++_version}";
            _stored = body;
            return Results.Text(body.ToJsonString(), "application/json");
        }
    }

    private static object NotFound() => new { kind = "Status", apiVersion = "v1", status = "Failure", reason = "NotFound", code = 404 };

    private void OtherWriterSets(string key, string value)
    {
        lock (_lock)
        {
            _stored!["data"]![key] = value;
            _stored["metadata"]!["resourceVersion"] = $"{++_version}";
        }
    }

    private KubeConfigMapStore Store => new(_api!.Client, "ops", "state");

    private static Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> Set(string key, string value) =>
        data => new Dictionary<string, string>(data) { [key] = value };

    [Fact]
    public async Task Mutate_Missing_CreatesTheConfigMap()
    {
        var stored = await Store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);

        Assert.Equal("fd00::/48", stored["prefix"]);
        Assert.Equal(["GET", "POST"], _log);
        Assert.Equal("fd00::/48", (await Store.ReadAsync(CancellationToken.None))["prefix"]);
    }

    [Fact]
    public async Task Mutate_SomeoneWroteInBetween_RereadsAndKeepsBothChanges()
    {
        await Store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);
        _log.Clear();
        _beforeNextWrite = () => OtherWriterSets("other", "kept");

        var stored = await Store.MutateAsync(Set("apps", "{}"), CancellationToken.None);

        Assert.Equal(["GET", "PUT", "409", "GET", "PUT"], _log);
        Assert.Equal(("fd00::/48", "kept", "{}"), (stored["prefix"], stored["other"], stored["apps"]));
        var read = await Store.ReadAsync(CancellationToken.None);
        Assert.Equal(("kept", "{}"), (read["other"], read["apps"]));
    }

    [Fact]
    public async Task Mutate_NoChange_WritesNothing()
    {
        await Store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);
        _log.Clear();

        await Store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);

        Assert.Equal(["GET"], _log);
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
    }
}
