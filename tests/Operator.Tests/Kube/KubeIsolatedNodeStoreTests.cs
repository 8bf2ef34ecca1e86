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

    private static IsolatedNodeSpec Spec(int port) => new()
    {
        ClusterPrefix = "fd00::/48",
        Interfaces = [new NodeInterfaceSpec { App = new AppReference { Namespace = "demo", Name = "receiver" }, Instance = "receiver-0", ListenPort = port }],
    };

    [Fact]
    public async Task SpecCreatedThenPatchedWhole_WithoutReads_AgentStatusKept()
    {
        var store = new KubeIsolatedNodeStore(_client!);

        await store.SetSpecAsync("node-1", Spec(51820), exists: false, CancellationToken.None);
        var reported = await ReadAsync();
        reported.Status = new IsolatedNodeStatus { Interfaces = [new NodeInterfaceStatus { App = reported.Spec.Interfaces[0].App, Instance = "receiver-0", PublicKey = "K=" }] };
        await _client!.CustomObjects.ReplaceClusterCustomObjectStatusAsync<V1Alpha1IsolatedNode>(reported, ApiGroup.Group, ApiGroup.Version,
            V1Alpha1IsolatedNode.KubePluralName, "node-1");
        Api.Requests.Clear();
        await store.SetSpecAsync("node-1", Spec(51821), exists: true, CancellationToken.None);
        await store.SetSpecAsync("node-1", new IsolatedNodeSpec { ClusterPrefix = "fd00::/48" }, exists: true, CancellationToken.None);

        Assert.Equal(["patch isolatednodes", "patch isolatednodes"], Api.Requests.Entries.Select(r => $"{r.Verb} {r.Resource}"));
        var stored = await ReadAsync();
        Assert.Empty(stored.Spec.Interfaces);
        Assert.Equal("K=", stored.Status!.Interfaces.Single().PublicKey);
    }

    [Fact]
    public async Task SpecForAnObjectTheCacheDoesNotKnowYet_CreatedOrPatched()
    {
        var store = new KubeIsolatedNodeStore(_client!);

        await store.SetSpecAsync("node-1", Spec(51820), exists: true, CancellationToken.None);
        await store.SetSpecAsync("node-1", Spec(51821), exists: false, CancellationToken.None);

        Assert.Equal(["patch 404", "create 201", "create 409", "patch 200"], Api.Requests.Entries.Select(r => $"{r.Verb} {r.StatusCode}"));
        Assert.Equal(51821, (await ReadAsync()).Spec.Interfaces.Single().ListenPort);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null) await _api.DisposeAsync();
    }
}
