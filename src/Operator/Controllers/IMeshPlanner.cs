using WgIsolate.Core.Api;
using WgIsolate.Core.Mesh;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// The shared mesh computation, kept up to date incrementally: built whole once (and on every resync), then told
/// about one changed app or node address at a time; each change says which nodes' specs and which apps' peer
/// states it touched. Not thread-safe: the mesh reconciler is its only user and runs one reconcile at a time.
/// </summary>
public interface IMeshPlanner
{
    void Build(string clusterPrefix, IReadOnlyDictionary<string, string> nodeAddresses, IEnumerable<MeshApp> apps);

    /// <summary>Adds or replaces an app that takes part in the mesh.</summary>
    MeshUpdate Upsert(MeshApp app);

    MeshUpdate Remove(AppReference app);

    /// <param name="address">Null: the node has no usable address (its instances get no endpoint).</param>
    MeshUpdate SetNodeAddress(string node, string? address);

    /// <summary>Nodes with at least one planned interface.</summary>
    IReadOnlyCollection<string> Nodes { get; }

    IsolatedNodeSpec NodeSpec(string node);

    IReadOnlyList<PeerStatus> PeerStates(AppReference app);
}

/// <summary>An app that takes part in the mesh (valid, allocated, not being deleted).</summary>
public sealed record MeshApp(
    AppReference Ref,
    AppAllocation Allocation,
    IsolatedAppSpec Spec,
    IReadOnlyList<MeshInstance> Instances);

/// <summary>PublicKey is null until the node's agent published it in IsolatedNode.status.</summary>
public sealed record MeshInstance(string Name, string Node, InstanceAllocation Allocation, string? PublicKey);
