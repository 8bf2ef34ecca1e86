using System.Net;
using WgIsolate.Core.Api;
using WgIsolate.Core.Mesh;
using WgIsolate.Core.Naming;
using CoreMeshApp = WgIsolate.Core.Mesh.MeshApp;
using CoreMeshInstance = WgIsolate.Core.Mesh.MeshInstance;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Core's incremental mutual-consent mesh (<see cref="MeshState"/>) over the operator's view: a change to one app
/// re-plans only its instances and those of its mutual peers. A pod's namespace and WireGuard interface are named
/// from namespace/pod, so they are unique on its node.
/// </summary>
public sealed class CoreMeshPlanner(string presharedKeySecret) : IMeshPlanner
{
    private MeshState? _built;

    private MeshState State => _built ?? throw new InvalidOperationException("the mesh is built whole before it is changed");

    public IReadOnlyCollection<string> Nodes => State.Nodes;

    public void Build(string clusterPrefix, IReadOnlyDictionary<string, string> nodeAddresses, IEnumerable<MeshApp> apps)
    {
        var options = new MeshOptions(IPNetwork.Parse(clusterPrefix),
            nodeAddresses.ToDictionary(a => a.Key, a => IPAddress.Parse(a.Value), StringComparer.Ordinal), presharedKeySecret);
        _built = MeshState.Build(options, apps.Select(ToCore));
    }

    public MeshUpdate Upsert(MeshApp app) => State.Upsert(ToCore(app));

    public MeshUpdate Remove(AppReference app) => State.Remove(app);

    public MeshUpdate SetNodeAddress(string node, string? address) => State.SetNodeAddress(node, address is null ? null : IPAddress.Parse(address));

    public IsolatedNodeSpec NodeSpec(string node) => State.NodeSpec(node);

    public IReadOnlyList<PeerStatus> PeerStates(AppReference app) => State.PeerStates(app);

    private static CoreMeshApp ToCore(MeshApp app) => new(app.Ref, app.Spec, app.Allocation.Id, [.. app.Instances.Select(i => ToCore(app.Ref, i))]);

    private static CoreMeshInstance ToCore(AppReference app, MeshInstance instance)
    {
        // "address/prefix" with host bits set: not an IPNetwork, so split by hand.
        var parts = instance.Allocation.Address.Split('/');
        var netns = NamespaceNames.ForPod(app.Namespace, instance.Name);
        return new CoreMeshInstance(instance.Name, instance.Node, NamespaceNames.Path(netns), InterfaceNames.WireGuard(netns),
            IPAddress.Parse(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), instance.Allocation.Port, instance.PublicKey);
    }
}
