using k8s;
using WgIsolate.Core.Api;
using WgIsolate.KubeApiDouble;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Tests.Scenarios;

namespace WgIsolate.Operator.Tests.Kube;

/// <summary>Spec writes against the API server double with the repository's CRDs: no reads, status untouched.</summary>
public sealed class KubeIsolatedNodeStoreTests : IAsyncLifetime
{
    private KubeApiServerDouble? _api;
    private Kubernetes? _client;

    private KubeApiServerDouble Api => _api!;

    public async Task InitializeAsync()
    {
        _api = await KubeApiServerDouble.StartAsync(new KubeApiDoubleOptions { CrdFolders = [Path.Combine(ScenarioCluster.RepositoryRoot(), "crds")] });
        _client = _api.CreateClient();
    }

    private Task<V1Alpha1IsolatedNode> ReadAsync() =>
        _client!.CustomObjects.GetClusterCustomObjectAsync<V1Alpha1IsolatedNode>(ApiGroup.Group, ApiGroup.Version, V1Alpha1IsolatedNode.KubePluralName, "node-1");

    private static IsolatedNodeSpec Spec(int port) => new() { ClusterPrefix = "fd00::/48", Interfaces = [Interface("receiver-0", port)] };

    [Fact]
    public async Task SpecCreatedThenPatchedWhole_WithoutReads_AgentStatusKept()
    {
        var store = new KubeIsolatedNodeStore(new KubeHttp(_client!));

        await store.SetSpecAsync("node-1", Spec(51820), basis: null, exists: false, CancellationToken.None);
        await ReportStatusAsync();
        Api.Requests.Clear();
        await store.SetSpecAsync("node-1", Spec(51821), basis: null, exists: true, CancellationToken.None);
        await store.SetSpecAsync("node-1", new IsolatedNodeSpec { ClusterPrefix = "fd00::/48" }, basis: null, exists: true, CancellationToken.None);

        Assert.Equal(["patch isolatednodes", "patch isolatednodes"], Api.Requests.Entries.Select(r => $"{r.Verb} {r.Resource}"));
        var stored = await ReadAsync();
        Assert.Empty(stored.Spec.Interfaces);
        Assert.Equal("K=", stored.Status!.Interfaces.Single().PublicKey);
    }

    [Fact]
    public async Task SpecForAnObjectTheCacheDoesNotKnowYet_CreatedOrPatched()
    {
        var store = new KubeIsolatedNodeStore(new KubeHttp(_client!));

        await store.SetSpecAsync("node-1", Spec(51820), basis: null, exists: true, CancellationToken.None);
        await store.SetSpecAsync("node-1", Spec(51821), basis: null, exists: false, CancellationToken.None);

        Assert.Equal(["patch 404", "create 201", "create 409", "patch 200"], Api.Requests.Entries.Select(r => $"{r.Verb} {r.StatusCode}"));
        Assert.Equal(51821, (await ReadAsync()).Spec.Interfaces.Single().ListenPort);
    }

    [Fact]
    public async Task Change_IsOneSmallJsonPatch_AgentStatusWritesInBetweenDoNotMatter_AStaleSpecGoesWhole()
    {
        var store = new KubeIsolatedNodeStore(new KubeHttp(_client!));
        var first = Spec(51820);
        var created = await store.SetSpecAsync("node-1", first, basis: null, exists: false, CancellationToken.None);
        await ReportStatusAsync();
        var second = new IsolatedNodeSpec { ClusterPrefix = first.ClusterPrefix, Interfaces = [.. first.Interfaces, Interface("receiver-1", 51821)] };
        Api.Requests.Clear();

        var patched = await store.SetSpecAsync("node-1", second, new NodeSpecBasis(first, created), exists: true, CancellationToken.None);

        var patch = Api.Requests.Entries.Single();
        Assert.Equal(("patch", 200, "application/json-patch+json"), (patch.Verb, patch.StatusCode, patch.ContentType?.Split(';')[0]));
        Assert.InRange(patch.RequestBytes, 1, 600);
        var stored = await ReadAsync();
        Assert.Equal(["receiver-0", "receiver-1"], stored.Spec.Interfaces.Select(i => i.Instance));
        Assert.Equal((created + 1, created + 1), (patched, stored.Metadata.Generation));
        Assert.Equal("K=", stored.Status!.Interfaces.Single().PublicKey);

        // Someone else changed the spec since: the patch is refused and the spec goes whole.
        await store.SetSpecAsync("node-1", Spec(51999), basis: null, exists: true, CancellationToken.None);
        Api.Requests.Clear();
        await store.SetSpecAsync("node-1", first, new NodeSpecBasis(second, patched), exists: true, CancellationToken.None);

        Assert.Equal(["patch 422 application/json-patch+json", "patch 200 application/merge-patch+json"],
            Api.Requests.Entries.Select(r => $"{r.Verb} {r.StatusCode} {r.ContentType?.Split(';')[0]}"));
        stored = await ReadAsync();
        Assert.Equal([("receiver-0", 51820)], stored.Spec.Interfaces.Select(i => (i.Instance, i.ListenPort)));
        Assert.Equal("K=", stored.Status!.Interfaces.Single().PublicKey);
    }

    private static NodeInterfaceSpec Interface(string instance, int port) =>
        new() { App = new AppReference { Namespace = "demo", Name = "receiver" }, Instance = instance, ListenPort = port };

    private async Task ReportStatusAsync()
    {
        var reported = await ReadAsync();
        reported.Status = new IsolatedNodeStatus { Interfaces = [new NodeInterfaceStatus { App = reported.Spec.Interfaces[0].App, Instance = "receiver-0", PublicKey = "K=" }] };
        await _client!.CustomObjects.ReplaceClusterCustomObjectStatusAsync<V1Alpha1IsolatedNode>(reported, ApiGroup.Group, ApiGroup.Version,
            V1Alpha1IsolatedNode.KubePluralName, "node-1");
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null) await _api.DisposeAsync();
    }
}
