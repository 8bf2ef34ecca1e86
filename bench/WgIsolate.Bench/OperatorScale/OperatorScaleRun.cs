using System.Diagnostics;
using k8s;
using k8s.Models;
using WgIsolate.Core.Api;
using WgIsolate.KubeApiDouble;
using WgIsolate.KubeApiDouble.Faults;

namespace WgIsolate.Bench.OperatorScale;

/// <summary>
/// The operator at scale, end to end: the API server double (in this process) holds nodes, apps and pods created
/// through the real client; the shipped operator runs in its own process against it; simulated agents publish
/// keys. Measures convergence of every IsolatedNode, how fast one pod change reaches its peers' nodes, the
/// operator's peak memory, and its API writes per change.
/// </summary>
public static class OperatorScaleRun
{
    private const int Changes = 5;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(ScaleSettings settings)
    {
        var topology = new ScaleTopology(settings);
        Console.WriteLine($"operator-scale: {settings.Apps} apps, {settings.Pods} pods, {settings.Nodes} nodes, " +
            $"{topology.PeersPerInstance} peers per instance ({settings.PeersEachSide} peer apps on each side of a ring); {Environment.ProcessorCount} cores");

        // A short watch history: every IsolatedNode change is a whole spec of megabytes, and the default 10,000
        // kept changes would hold tens of gigabytes. Watches that fall behind get 410 and relist, as they must.
        await using var api = await KubeApiServerDouble.StartAsync(new KubeApiDoubleOptions
        {
            CrdFolders = [Path.Combine(RepositoryRoot(), "crds")],
            HistoryLimit = 500,
        });
        using var client = api.CreateClient();
        var loading = Stopwatch.StartNew();
        await CreateClusterAsync(client, topology);
        Console.WriteLine($"created through the API in {loading.Elapsed.TotalSeconds:F1} s");

        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var watch = new IsolatedNodeWatch(http);
        using var agents = new SimulatedAgents(http, watch);
        watch.Start();
        api.Requests.Clear();

        var started = DateTime.UtcNow;
        await using var op = OperatorProcess.Start(api.KubeconfigPath,
            ["--Operator:Namespace=wgisolate-system", "--Operator:LeaderElection=false", "--Logging:LogLevel:Default=Warning"],
            heapLimitBytes: settings.HeapLimitBytes);
        if (settings.MemoryLimitMb > 0)
        {
            Console.WriteLine($"operator GC heap limited to {settings.HeapLimitBytes / (1024 * 1024)} MB, as .NET does in a container limited to {settings.MemoryLimitMb} MB");
        }
        try
        {
            await op.WaitReadyAsync(settings.Timeout);
            var ready = DateTime.UtcNow - started;
            var expected = topology.ExpectedInterfacesByNode();
            var converged = await watch.WaitAsync(views => Converged(views, expected, topology.PeersPerInstance), started, settings.Timeout,
                () => Progress(watch.Views, expected, topology.PeersPerInstance));
            Console.WriteLine($"operator ready (informers synced) after {ready.TotalSeconds:F1} s; all {settings.Nodes} IsolatedNodes converged after {converged.TotalSeconds:F1} s");
            await QuietAsync(api.Requests);
            var allocations = await client.CoreV1.ReadNamespacedConfigMapAsync("wgisolate-allocations", "wgisolate-system");
            Console.WriteLine($"allocation ConfigMap: {allocations.Data.Sum(d => System.Text.Encoding.UTF8.GetByteCount(d.Value)) / 1024} KiB of data " +
                "(the API server refuses a ConfigMap over 1 MiB)");
            PrintWrites("writes during convergence (operator and agents)", api.Requests.Entries);
            PrintServerTime(api.Requests.Entries);

            for (var change = 0; change < Changes; change++)
            {
                var app = (change * settings.Apps / Changes + settings.Apps / (2 * Changes)) % settings.Apps;
                await MeasurePodChangeAsync(client, api.Requests, watch, topology, app, settings.Timeout);
            }

            Console.WriteLine($"operator peak memory: RSS {op.PeakRssBytes / 1_048_576} MB (VmHWM), GC heap {op.PeakGcHeapBytes / 1_048_576} MB (dotnet_total_memory_bytes, sampled every 0.5 s)");
            Console.WriteLine($"this process (API server double + driver) peak RSS: {ProcessPeakRssMb()} MB");
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"operator-scale failed: {e.Message}; operator log: {op.LogPath}");
            PrintWrites("writes so far", api.Requests.Entries);
            return 1;
        }
    }

    private static string Progress(IReadOnlyDictionary<string, NodeView> views, Dictionary<string, HashSet<string>> expected, int peers)
    {
        var interfaces = views.Values.Sum(v => v.Interfaces.Count);
        var complete = views.Values.Sum(v => v.Interfaces.Values.Count(i => i.Peers.Count == peers));
        var keyed = views.Values.Sum(v => v.Keyed.Count);
        return $"every IsolatedNode to hold its interfaces with all peers: {views.Count} of {expected.Count} nodes, {interfaces} of " +
            $"{expected.Values.Sum(e => e.Count)} interfaces, {complete} with all {peers} peers, {keyed} keys published";
    }

    private static bool Converged(IReadOnlyDictionary<string, NodeView> views, Dictionary<string, HashSet<string>> expected, int peers) =>
        expected.All(n => views.TryGetValue(n.Key, out var view) && view.AgentCaughtUp && view.Interfaces.Count == n.Value.Count
            && n.Value.All(i => view.Interfaces.TryGetValue(i, out var spec) && spec.Peers.Count == peers));

    /// <summary>
    /// A pod deleted, then recreated under the same name on the next node (a StatefulSet pod rescheduled). The
    /// deletion must leave every peer's node; the new pod must reach its own node, get its key from that node's agent,
    /// and then reach every peer's node.
    /// </summary>
    private static async Task MeasurePodChangeAsync(Kubernetes client, RequestLog requests, IsolatedNodeWatch watch, ScaleTopology topology,
        int app, TimeSpan timeout)
    {
        var pod = ScaleTopology.Pod(app, 0);
        var touched = watch.Views.Values.Where(v => v.Interfaces.Values.Any(i => i.Instance == pod || i.Peers.Contains(pod))).Count();

        requests.Clear();
        var t0 = DateTime.UtcNow;
        await client.CoreV1.DeleteNamespacedPodAsync(pod, ScaleTopology.Namespace);
        var gone = await watch.WaitAsync(views => !views.Values.Any(v => v.Interfaces.Values.Any(i => i.Instance == pod || i.Peers.Contains(pod))),
            t0, timeout, () => $"{pod} gone from every node");
        await QuietAsync(requests);
        var deleteWrites = OperatorWrites(requests.Entries);
        var deleteNodeWrites = NodeWriteSpan(requests.Entries, t0);

        var node = topology.NodeOf(app, 0) is var old && old == ScaleTopology.Node(0) ? ScaleTopology.Node(1) : ScaleTopology.Node(0);
        var peerInstances = topology.PeersOf(app).Sum(_ => topology.Settings.PodsPerApp);
        requests.Clear();
        t0 = DateTime.UtcNow;
        await client.CoreV1.CreateNamespacedPodAsync(PodObject(app, 0, node), ScaleTopology.Namespace);
        var own = await watch.WaitAsync(views => views.TryGetValue(node, out var v) && v.Interfaces.ContainsKey(pod), t0, timeout, () => $"{pod} on {node}");
        var keyed = await watch.WaitAsync(views => views.TryGetValue(node, out var v) && v.Keyed.Contains(pod), t0, timeout, () => $"{pod}'s key published");
        var peered = await watch.WaitAsync(views => views.Values.Sum(v => v.Interfaces.Values.Count(i => i.Peers.Contains(pod))) == peerInstances,
            t0, timeout, () => $"{pod} a peer of all {peerInstances} peer instances");
        await QuietAsync(requests);
        var createWrites = OperatorWrites(requests.Entries);
        var createNodeWrites = NodeWriteSpan(requests.Entries.Where(r => r.Arrived > t0 + keyed), t0);

        Console.WriteLine($"pod change {pod}: delete reached all {touched} nodes touched in {gone.TotalMilliseconds:F0} ms with {createWritesText(deleteWrites)}" +
            $" (node writes {deleteNodeWrites}); " +
            $"recreated on {node}: own node {own.TotalMilliseconds:F0} ms, key published {keyed.TotalMilliseconds:F0} ms, " +
            $"peers' nodes {peered.TotalMilliseconds:F0} ms ({(peered - keyed).TotalMilliseconds:F0} ms after the key) with {createWritesText(createWrites)}" +
            $" (node writes after the key {createNodeWrites})");

        static string createWritesText(IReadOnlyDictionary<string, int> writes) =>
            $"{writes.Values.Sum()} operator writes ({string.Join(", ", writes.OrderBy(w => w.Key).Select(w => $"{w.Value} {w.Key}"))})";
    }

    /// <summary>When the operator's node spec writes of a change arrived and were answered, from the change: where
    /// propagation time goes (before the first write: the app reconcile and planning; after: the writes).</summary>
    private static string NodeWriteSpan(IEnumerable<ApiRequest> requests, DateTime t0)
    {
        var writes = requests.Where(r => r.Resource == "isolatednodes" && r.Verb is "patch" or "create").ToList();
        return writes.Count == 0 ? "none"
            : $"first arrived at {(writes.Min(w => w.Arrived) - t0).TotalMilliseconds:F0} ms, last answered at {(writes.Max(w => w.Answered) - t0).TotalMilliseconds:F0} ms, " +
              $"{writes.Average(w => w.Duration.TotalMilliseconds):F0} ms each in the double, {writes.Sum(w => w.RequestBytes) / 1024.0:F0} KiB sent";
    }

    // The driver writes pods and the simulated agents write IsolatedNode status; everything else is the operator's.
    private static IReadOnlyDictionary<string, int> OperatorWrites(IEnumerable<ApiRequest> requests) =>
        requests.Where(r => r.Verb is "create" or "update" or "patch" or "delete" && r.Resource is not ("pods" or "isolatednodes/status"))
            .GroupBy(r => $"{r.Verb} {r.Resource}").ToDictionary(g => g.Key, g => g.Count());

    private static void PrintWrites(string title, IEnumerable<ApiRequest> requests)
    {
        var writes = requests.Where(r => r.Verb is "create" or "update" or "patch" or "delete").GroupBy(r => $"{r.Verb} {r.Resource}")
            .OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}{Refused(g)}");
        Console.WriteLine($"{title}: {string.Join(", ", writes)}");
    }

    // Writes the double answered with an error (a refused JSON patch precondition, a conflict), by status code.
    private static string Refused(IEnumerable<ApiRequest> writes) =>
        string.Concat(writes.Where(w => w.StatusCode >= 400).GroupBy(w => w.StatusCode).OrderBy(g => g.Key).Select(g => $" ({g.Count()} answered {g.Key})"));

    /// <summary>Where the double spent its time serving requests, by verb and resource, busiest first.</summary>
    private static void PrintServerTime(IEnumerable<ApiRequest> requests)
    {
        var rows = requests.Where(r => r.Verb != "watch").GroupBy(r => $"{r.Verb} {r.Resource}")
            .Select(g => (Key: g.Key, Count: g.Count(), Total: g.Sum(r => r.Duration.TotalMilliseconds), Max: g.Max(r => r.Duration.TotalMilliseconds)))
            .OrderByDescending(r => r.Total);
        Console.WriteLine("API double time by request: " + string.Join(", ",
            rows.Select(r => $"{r.Key} {r.Count}× {r.Total / 1000:F1} s (mean {r.Total / r.Count:F1} ms, max {r.Max:F0} ms)")));
    }

    /// <summary>Waits until no write arrived for <see cref="Quiet"/>, so the counts include the whole change.</summary>
    private static async Task QuietAsync(RequestLog requests)
    {
        var last = -1;
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow - since < Quiet)
        {
            var now = requests.Writes;
            if (now != last) (last, since) = (now, DateTime.UtcNow);
            await Task.Delay(100);
        }
    }

    private static async Task CreateClusterAsync(Kubernetes client, ScaleTopology topology)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8 };
        await Parallel.ForEachAsync(Enumerable.Range(0, topology.Settings.Nodes), parallel, async (n, token) =>
            await client.CoreV1.CreateNodeAsync(new V1Node
            {
                Metadata = new V1ObjectMeta { Name = ScaleTopology.Node(n) },
                Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = $"10.0.{n / 250}.{n % 250 + 1}" }] },
            }, cancellationToken: token));
        await Parallel.ForEachAsync(Enumerable.Range(0, topology.Settings.Apps), parallel, async (a, token) =>
            await client.CustomObjects.CreateNamespacedCustomObjectAsync<V1Alpha1IsolatedApp>(new V1Alpha1IsolatedApp
            {
                Metadata = new V1ObjectMeta { Name = ScaleTopology.App(a), NamespaceProperty = ScaleTopology.Namespace },
                Spec = new IsolatedAppSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = ScaleTopology.App(a) } },
                    Peers = [.. topology.PeersOf(a).Select(p => new PeerReference { Name = ScaleTopology.App(p) })],
                },
            }, ApiGroup.Group, ApiGroup.Version, ScaleTopology.Namespace, V1Alpha1IsolatedApp.KubePluralName, cancellationToken: token));
        await Parallel.ForEachAsync(topology.Pods(), parallel, async (p, token) =>
            await client.CoreV1.CreateNamespacedPodAsync(PodObject(p.App, p.Ordinal, p.Node), ScaleTopology.Namespace, cancellationToken: token));
    }

    // Scheduled (spec.nodeName set) is what makes a selected pod an instance; no kubelet runs to set a phase.
    private static V1Pod PodObject(int app, int ordinal, string node) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = ScaleTopology.Pod(app, ordinal),
            NamespaceProperty = ScaleTopology.Namespace,
            Labels = new Dictionary<string, string> { ["app"] = ScaleTopology.App(app) },
        },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "example/app:1" }] },
    };

    private static long ProcessPeakRssMb() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture) / 1024;

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WgIsolate.sln"))) return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("run operator-scale inside the repository: it reads the CRDs from crds/");
    }
}
