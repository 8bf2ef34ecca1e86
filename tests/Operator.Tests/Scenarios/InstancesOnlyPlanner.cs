using WgIsolate.Core.Api;
using WgIsolate.Core.Mesh;
using WgIsolate.Operator.Controllers;
using MeshApp = WgIsolate.Operator.Controllers.MeshApp;

namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// A stand-in for the shared mesh computation in tests that are about the operator's plumbing: one interface per
/// instance on its node, no peers. Peer scenarios need the real mesh.
/// </summary>
internal sealed class InstancesOnlyPlanner : IMeshPlanner
{
    private readonly Dictionary<AppReference, MeshApp> _apps = [];
    private string _prefix = "";

    public IReadOnlyCollection<string> Nodes => [.. _apps.Values.SelectMany(a => a.Instances).Select(i => i.Node).Distinct()];

    public void Build(string clusterPrefix, IReadOnlyDictionary<string, string> nodeAddresses, IEnumerable<MeshApp> apps)
    {
        _prefix = clusterPrefix;
        _apps.Clear();
        foreach (var app in apps) _apps[app.Ref] = app;
    }

    public MeshUpdate Upsert(MeshApp app)
    {
        var old = _apps.GetValueOrDefault(app.Ref);
        _apps[app.Ref] = app;
        return Touched(old, app);
    }

    public MeshUpdate Remove(AppReference app) => _apps.Remove(app, out var old) ? Touched(old, null) : Touched(null, null);

    public MeshUpdate SetNodeAddress(string node, string? address) => Touched(null, null);

    public IsolatedNodeSpec NodeSpec(string node) => new()
    {
        ClusterPrefix = _prefix,
        Interfaces = [.. _apps.Values
            .SelectMany(app => app.Instances.Where(i => i.Node == node).Select(i => (app, i)))
            .OrderBy(x => x.i.Name, StringComparer.Ordinal)
            .Select(x => new NodeInterfaceSpec
            {
                App = x.app.Ref,
                AppId = x.app.Allocation.Id,
                Instance = x.i.Name,
                Address = x.i.Allocation.Address,
                ListenPort = x.i.Allocation.Port,
            })],
    };

    public IReadOnlyList<PeerStatus> PeerStates(AppReference app) => [];

    private static MeshUpdate Touched(MeshApp? old, MeshApp? now) =>
        new(new HashSet<string>(new[] { old, now }.OfType<MeshApp>().SelectMany(a => a.Instances).Select(i => i.Node), StringComparer.Ordinal),
            new HashSet<AppReference>(new[] { old, now }.OfType<MeshApp>().Select(a => a.Ref)));
}
