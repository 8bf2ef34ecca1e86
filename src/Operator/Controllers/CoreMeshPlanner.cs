using System.Net;
using WgIsolate.Core.Api;
using WgIsolate.Core.Mesh;
using WgIsolate.Core.Naming;
using CoreMeshApp = WgIsolate.Core.Mesh.MeshApp;
using CoreMeshInstance = WgIsolate.Core.Mesh.MeshInstance;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Core's mutual-consent mesh over the operator's view. Each plan is built whole from the cache (1,000 apps plan in
/// well under a second, per Core's benchmark); the single mesh key coalesces event storms into few plans.
/// A pod's namespace and WireGuard interface are named from namespace/pod, so they are unique on its node.
/// </summary>
public sealed class CoreMeshPlanner(string presharedKeySecret) : IMeshPlanner
{
    public MeshPlan Plan(MeshInput input)
    {
        var options = new MeshOptions(IPNetwork.Parse(input.ClusterPrefix),
            input.NodeAddresses.ToDictionary(a => a.Key, a => IPAddress.Parse(a.Value), StringComparer.Ordinal), presharedKeySecret);
        var state = MeshState.Build(options, input.Apps.Select(ToCore));
        return new MeshPlan(
            state.Nodes.ToDictionary(n => n, state.NodeSpec, StringComparer.Ordinal),
            input.Apps.ToDictionary(a => a.Ref, a => state.PeerStates(a.Ref)));
    }

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
