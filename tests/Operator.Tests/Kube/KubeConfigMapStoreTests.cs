using WgIsolate.Operator.Kube;

namespace WgIsolate.Operator.Tests.Kube;

/// <summary>
/// The real client against a ConfigMap endpoint that checks resourceVersion like the API server: a stale write
/// gets 409, and the store must read again and re-apply its change rather than overwrite the other writer.
/// </summary>
public sealed class KubeConfigMapStoreTests : IAsyncLifetime
{
    private readonly ObjectEndpoints _configMaps = new();
    private LoopbackApi? _api;

    public async Task InitializeAsync() =>
        _api = await LoopbackApi.StartAsync(server => _configMaps.Map(server, "/api/v1/namespaces/ops/configmaps"));

    private KubeConfigMapStore Store => new(_api!.Client, new KubeHttp(_api.Client), "ops", "state");

    private static Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> Set(string key, string value) =>
        data => new Dictionary<string, string>(data) { [key] = value };

    [Fact]
    public async Task Mutate_Missing_CreatesTheConfigMap()
    {
        var stored = await Store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);

        Assert.Equal("fd00::/48", stored["prefix"]);
        Assert.Equal(["GET 404", "POST"], _configMaps.Log);
        Assert.Equal("fd00::/48", (await Store.ReadAsync(CancellationToken.None))["prefix"]);
    }

    [Fact]
    public async Task Mutate_SomeoneWroteInBetween_RereadsAndKeepsBothChanges()
    {
        await Store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);
        _configMaps.Log.Clear();
        _configMaps.BeforeNextWrite = () =>
        {
            var other = _configMaps["state"]!;
            other["data"]!["other"] = "kept";
            _configMaps.Put("state", other);
        };

        var stored = await Store.MutateAsync(Set("apps", "{}"), CancellationToken.None);

        Assert.Equal(["GET", "PUT 409", "GET", "PUT"], _configMaps.Log);
        Assert.Equal(("fd00::/48", "kept", "{}"), (stored["prefix"], stored["other"], stored["apps"]));
        var read = await Store.ReadAsync(CancellationToken.None);
        Assert.Equal(("kept", "{}"), (read["other"], read["apps"]));
    }

    [Fact]
    public async Task Mutate_NoChange_WritesNothing()
    {
        await Store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);
        _configMaps.Log.Clear();

        await Store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);

        Assert.Equal(["GET"], _configMaps.Log);
    }

    [Fact]
    public async Task Mutate_Again_StartsFromTheVersionItWrote_WithoutARead()
    {
        var store = Store;
        await store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);
        _configMaps.Log.Clear();

        var stored = await store.MutateAsync(Set("apps", "{}"), CancellationToken.None);

        Assert.Equal(["PUT"], _configMaps.Log);
        Assert.Equal(("fd00::/48", "{}"), (stored["prefix"], stored["apps"]));
    }

    [Fact]
    public async Task Mutate_RememberedVersionOutdated_ConflictsThenRereadsAndKeepsBothChanges()
    {
        var store = Store;
        await store.MutateAsync(Set("prefix", "fd00::/48"), CancellationToken.None);
        var other = _configMaps["state"]!;
        other["data"]!["other"] = "kept";
        _configMaps.Put("state", other);
        _configMaps.Log.Clear();

        var stored = await store.MutateAsync(Set("apps", "{}"), CancellationToken.None);

        Assert.Equal(["PUT 409", "GET", "PUT"], _configMaps.Log);
        Assert.Equal(("kept", "{}"), (stored["other"], stored["apps"]));
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
    }
}
