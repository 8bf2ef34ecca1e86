using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using WgIsolate.Core.Api;
using WgIsolate.KubeApiDouble;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Tests.Controllers;
using WgIsolate.Operator.Tests.Hosting;

namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// The API server double, the operator's real composition root talking to it through a kubeconfig, and a second real
/// client playing users, the scheduler and the node agents.
/// </summary>
internal sealed class ScenarioCluster : IAsyncDisposable
{
    public const string Namespace = "demo";

    private readonly List<OperatorUnderTest> _operators = [];

    private ScenarioCluster(KubeApiServerDouble api, Kubernetes client, Action<IServiceCollection> ports)
    {
        Api = api;
        Client = client;
        Ports = ports;
    }

    public KubeApiServerDouble Api { get; }
    public Kubernetes Client { get; }
    public Action<IServiceCollection> Ports { get; }
    public OperatorUnderTest Operator => _operators[^1];

    /// <param name="ports">Registers the pure ports (validation, allocation, mesh planning) the operator runs with.</param>
    public static async Task<ScenarioCluster> StartAsync(Action<IServiceCollection> ports)
    {
        // The repository's CRDs: the double validates and prunes every write against their schemas.
        var api = await KubeApiServerDouble.StartAsync(new KubeApiDoubleOptions { CrdFolders = [Path.Combine(RepositoryRoot(), "crds")] });
        var cluster = new ScenarioCluster(api, api.CreateClient(), ports);
        await cluster.StartOperatorAsync();
        return cluster;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WgIsolate.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException($"no WgIsolate.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The bearer token a replica sends unless told otherwise; the double logs it with every request.</summary>
    public const string OperatorToken = "test-token";

    /// <param name="leaderElection">With a short lease (3 s), so a takeover fits in a test.</param>
    /// <param name="token">Tells this replica's requests apart in <see cref="KubeApiServerDouble.Requests"/>.</param>
    public async Task<OperatorUnderTest> StartOperatorAsync(bool leaderElection = false, string token = OperatorToken)
    {
        string[] lease = leaderElection ? ["--Operator:LeaseDuration=00:00:03", "--Operator:RenewDeadline=00:00:02", "--Operator:RetryPeriod=00:00:00.200"] : [];
        var replica = await OperatorUnderTest.StartAsync(Api.BaseAddress,
            ["--Operator:Namespace=ops", $"--Operator:LeaderElection={leaderElection}", "--Operator:AgentCleanupTimeout=00:00:20", .. lease], Ports, token);
        _operators.Add(replica);
        await replica.WaitUntilReadyAsync();
        return replica;
    }

    public async Task StopOperatorAsync(OperatorUnderTest replica)
    {
        _operators.Remove(replica);
        await replica.DisposeAsync();
    }

    /// <summary>Nodes node-1 (IPv6) and node-2 (IPv4) with pods receiver-0 and sender-0, and the apps receiver and
    /// sender listing each other.</summary>
    public async Task CreateReceiverAndSenderAsync()
    {
        await CreateNodeAsync("node-1", "2001:db8::1");
        await CreateNodeAsync("node-2", "10.0.0.2");
        await CreatePodAsync("receiver-0", "receiver", "node-1");
        await CreatePodAsync("sender-0", "sender", "node-2");
        await CreateAppAsync("receiver", "sender");
        await CreateAppAsync("sender", "receiver");
    }

    public Task<V1Alpha1IsolatedApp> CreateAppAsync(string name, params string[] peers)
    {
        var app = new V1Alpha1IsolatedApp
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new IsolatedAppSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Peers = [.. peers.Select(p => new PeerReference { Name = p })],
            },
        };
        return Client.CustomObjects.CreateNamespacedCustomObjectAsync<V1Alpha1IsolatedApp>(app, ApiGroup.Group, ApiGroup.Version, Namespace,
            V1Alpha1IsolatedApp.KubePluralName);
    }

    public async Task<V1Alpha1IsolatedApp?> GetAppAsync(string name)
    {
        try
        {
            return await Client.CustomObjects.GetNamespacedCustomObjectAsync<V1Alpha1IsolatedApp>(ApiGroup.Group, ApiGroup.Version, Namespace,
                V1Alpha1IsolatedApp.KubePluralName, name);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A user's edit: read, change, replace; again from a fresh read when the operator wrote in between.</summary>
    public async Task UpdateAppAsync(string name, Action<V1Alpha1IsolatedApp> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var app = await GetAppAsync(name) ?? throw new InvalidOperationException($"no app {name}");
            change(app);
            try
            {
                await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<V1Alpha1IsolatedApp>(app, ApiGroup.Group, ApiGroup.Version, Namespace,
                    V1Alpha1IsolatedApp.KubePluralName, name);
                return;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 10)
            {
                // The operator wrote status or its finalizer in between.
            }
        }
    }

    public Task DeleteAppAsync(string name) =>
        Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, Namespace, V1Alpha1IsolatedApp.KubePluralName, name);

    public Task<V1Node> CreateNodeAsync(string name, string internalIp) =>
        Client.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name },
            Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = internalIp }] },
        });

    /// <summary>A scheduled, running pod: created, then its status set as the kubelet would.</summary>
    public async Task<V1Pod> CreatePodAsync(string name, string app, string node)
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { ["app"] = app } },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "example/app:1" }] },
        }, Namespace);
        pod.Status = new V1PodStatus { Phase = "Running" };
        return await Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, Namespace);
    }

    public Task DeletePodAsync(string name) => Client.CoreV1.DeleteNamespacedPodAsync(name, Namespace);

    public async Task<V1Alpha1IsolatedNode?> GetIsolatedNodeAsync(string name)
    {
        try
        {
            return await Client.CustomObjects.GetClusterCustomObjectAsync<V1Alpha1IsolatedNode>(ApiGroup.Group, ApiGroup.Version,
                V1Alpha1IsolatedNode.KubePluralName, name);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The node's agent reporting what it realised, through the status subresource as the agent does.</summary>
    public async Task AgentReportsAsync(string node, params NodeInterfaceStatus[] interfaces)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetIsolatedNodeAsync(node) ?? throw new InvalidOperationException($"no IsolatedNode {node} yet");
            current.Status = new IsolatedNodeStatus { ObservedGeneration = current.Metadata.Generation, Interfaces = [.. interfaces] };
            try
            {
                await Client.CustomObjects.ReplaceClusterCustomObjectStatusAsync<V1Alpha1IsolatedNode>(current, ApiGroup.Group, ApiGroup.Version,
                    V1Alpha1IsolatedNode.KubePluralName, node);
                return;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 5)
            {
                // The operator wrote the spec in between; read again, as an agent would.
            }
        }
    }

    /// <summary>After <see cref="CreateReceiverAndSenderAsync"/>: once both pods are planned, their agents publish the
    /// keys <see cref="TestKey"/>(1) for receiver-0 and (2) for sender-0.</summary>
    public async Task<(string Receiver, string Sender)> PublishReceiverAndSenderKeysAsync()
    {
        await EventuallyAsync(() => GetIsolatedNodeAsync("node-1"), n => n.Spec.Interfaces.Count == 1, "receiver-0 planned on node-1");
        await EventuallyAsync(() => GetIsolatedNodeAsync("node-2"), n => n.Spec.Interfaces.Count == 1, "sender-0 planned on node-2");
        await AgentReportsAsync("node-1", new NodeInterfaceStatus { App = TestCache.Ref("receiver"), Instance = "receiver-0", PublicKey = TestKey(1), Ready = true });
        await AgentReportsAsync("node-2", new NodeInterfaceStatus { App = TestCache.Ref("sender"), Instance = "sender-0", PublicKey = TestKey(2), Ready = true });
        return (TestKey(1), TestKey(2));
    }

    /// <summary>A well-formed WireGuard public key: 32 bytes of <paramref name="b"/>, base64.</summary>
    public static string TestKey(byte b) => Convert.ToBase64String(Enumerable.Repeat(b, 32).ToArray());

    public async Task<IReadOnlyList<Corev1Event>> EventsAsync() =>
        [.. (await Client.CoreV1.ListNamespacedEventAsync(Namespace)).Items];

    /// <summary>Polls (real time, bounded) until the condition holds; the failure message says what never happened.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        T? last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (last is not null && done(last)) return last;
            await Task.Delay(50);
        }

        throw new TimeoutException($"Timed out waiting for: {what}; last seen: {(last is null ? "nothing" : KubernetesJson.Serialize(last))}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _operators) await replica.DisposeAsync();
        Client.Dispose();
        await Api.DisposeAsync();
    }
}
