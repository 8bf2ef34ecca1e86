namespace WgIsolate.Bench.OperatorScale;

/// <summary>
/// The generated cluster: apps on a ring, each in mutual consent with its neighbours; an app's pods spread over
/// consecutive nodes. Knows what every node's IsolatedNode.spec must hold once the operator converged.
/// </summary>
public sealed class ScaleTopology(ScaleSettings settings)
{
    public const string Namespace = "bench";

    public ScaleSettings Settings => settings;

    public static string App(int app) => $"app-{app:D4}";

    public static string Pod(int app, int ordinal) => $"{App(app)}-{ordinal}";

    public static string Node(int node) => $"node-{node:D3}";

    public static string AppOfPod(string pod) => pod[..pod.LastIndexOf('-')];

    public string NodeOf(int app, int ordinal) => Node((app * settings.PodsPerApp + ordinal) % settings.Nodes);

    public IEnumerable<int> PeersOf(int app) =>
        Enumerable.Range(1, settings.PeersEachSide).SelectMany(d => new[] { (app + d) % settings.Apps, (app - d + settings.Apps) % settings.Apps });

    public IEnumerable<(int App, int Ordinal, string Node)> Pods() =>
        from app in Enumerable.Range(0, settings.Apps)
        from ordinal in Enumerable.Range(0, settings.PodsPerApp)
        select (app, ordinal, NodeOf(app, ordinal));

    /// <summary>Every instance of every app has every instance of its peer apps as a peer.</summary>
    public int PeersPerInstance => 2 * settings.PeersEachSide * settings.PodsPerApp;

    public Dictionary<string, HashSet<string>> ExpectedInterfacesByNode()
    {
        var expected = Enumerable.Range(0, settings.Nodes).ToDictionary(Node, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (app, ordinal, node) in Pods()) expected[node].Add(Pod(app, ordinal));
        return expected;
    }
}
