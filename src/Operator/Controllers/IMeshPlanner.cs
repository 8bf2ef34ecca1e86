using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Controllers;

/// <summary>The shared mesh computation: from apps, their instances and node addresses, each node's desired spec.</summary>
public interface IMeshPlanner
{
    MeshPlan Plan(MeshInput input);
}

public sealed record MeshInput(string ClusterPrefix, IReadOnlyList<MeshApp> Apps, IReadOnlyDictionary<string, string> NodeAddresses);

/// <summary>An app that takes part in the mesh (valid, allocated, not being deleted).</summary>
public sealed record MeshApp(
    AppReference Ref,
    AppAllocation Allocation,
    IsolatedAppSpec Spec,
    IReadOnlyList<MeshInstance> Instances);

/// <summary>PublicKey is null until the node's agent published it in IsolatedNode.status.</summary>
public sealed record MeshInstance(string Name, string Node, InstanceAllocation Allocation, string? PublicKey);

public sealed record MeshPlan(
    IReadOnlyDictionary<string, IsolatedNodeSpec> NodeSpecs,
    IReadOnlyDictionary<AppReference, IReadOnlyList<PeerStatus>> PeerStates);
