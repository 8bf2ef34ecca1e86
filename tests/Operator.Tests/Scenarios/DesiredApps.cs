namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// The apps and running pods a test created through the cluster (app → pod → node), kept alongside so that
/// <see cref="AllocationLedger.ConvergedAsync"/> knows what the operator has to converge on.
/// </summary>
internal sealed class DesiredApps(ScenarioCluster cluster)
{
    private readonly Dictionary<string, Dictionary<string, string>> _apps = [];

    public IReadOnlyDictionary<string, Dictionary<string, string>> Apps => _apps;

    /// <summary>node-1 and node-2, and six apps with a pod on each: app0 and app1 accept each other, app2 and app3
    /// too, app4 asks for app5, which does not answer. Enough for ports, addresses and ids to interleave.</summary>
    public static async Task<DesiredApps> SixAppsOnTwoNodesAsync(ScenarioCluster cluster)
    {
        await cluster.CreateNodeAsync("node-1", "2001:db8::1");
        await cluster.CreateNodeAsync("node-2", "10.0.0.2");
        var desired = new DesiredApps(cluster);
        string[][] peers = [["app1"], ["app0"], ["app3"], ["app2"], ["app5"], []];
        for (var i = 0; i < peers.Length; i++) await desired.AddAppAsync($"app{i}", peers[i], "node-1", "node-2");
        return desired;
    }

    /// <param name="nodes">One pod per entry, "{name}-{i}" on nodes[i].</param>
    public async Task AddAppAsync(string name, string[] peers, params string[] nodes)
    {
        _apps[name] = [];
        for (var i = 0; i < nodes.Length; i++) await AddPodAsync(name, $"{name}-{i}", nodes[i]);
        await cluster.CreateAppAsync(name, peers);
    }

    public async Task AddPodAsync(string app, string pod, string node)
    {
        await cluster.CreatePodAsync(pod, app, node);
        _apps[app][pod] = node;
    }

    /// <summary>Deletes the app (its pods stay, as a user might leave them); the operator releases what it held.</summary>
    public async Task DeleteAppAsync(string app)
    {
        await cluster.DeleteAppAsync(app);
        _apps.Remove(app);
    }

    public async Task DeletePodAsync(string app, string pod)
    {
        await cluster.DeletePodAsync(pod);
        _apps[app].Remove(pod);
    }
}
