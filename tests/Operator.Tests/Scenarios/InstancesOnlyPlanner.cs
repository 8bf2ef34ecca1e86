using WgIsolate.Core.Api;
using WgIsolate.Operator.Controllers;

namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// A stand-in for the shared mesh computation in scenarios that are about the operator's plumbing: one interface per
/// instance on its node, no peers. Peer scenarios need the real mesh.
/// </summary>
internal sealed class InstancesOnlyPlanner : IMeshPlanner
{
    public MeshPlan Plan(MeshInput input) => new(
        input.Apps
            .SelectMany(app => app.Instances.Select(i => (app, i)))
            .GroupBy(x => x.i.Node)
            .ToDictionary(g => g.Key, g => new IsolatedNodeSpec
            {
                ClusterPrefix = input.ClusterPrefix,
                Interfaces = [.. g.OrderBy(x => x.i.Name, StringComparer.Ordinal).Select(x => new NodeInterfaceSpec
                {
                    App = x.app.Ref,
                    AppId = x.app.Allocation.Id,
                    Instance = x.i.Name,
                    Address = x.i.Allocation.Address,
                    ListenPort = x.i.Allocation.Port,
                })],
            }),
        new Dictionary<AppReference, IReadOnlyList<PeerStatus>>());
}
