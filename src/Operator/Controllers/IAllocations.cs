using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// The durable allocations (cluster /48, per-app id and /64, per-instance address and node port). Every call
/// persists before it returns, and reads see only what is persisted, so nothing that refers to an allocation is
/// written before the allocation itself.
/// </summary>
public interface IAllocations
{
    Task<string> ClusterPrefixAsync(CancellationToken cancellationToken);

    /// <summary>In one persisted change: allocates the app's id and /64 once (later calls keep them), and makes its
    /// instance allocations exactly these instances: an instance that still exists keeps its address; one that
    /// moved node keeps its address and gets a port free on the new node; the others are released.</summary>
    /// <param name="fixedPort">spec.listenPort: the one port the (single) instance must get.</param>
    Task<EnsuredApp> EnsureAsync(AppReference app, IReadOnlyCollection<InstancePlacement> instances, int? fixedPort,
        CancellationToken cancellationToken);

    /// <summary>Releases the app and all its instances; only after the agents removed them.</summary>
    Task ReleaseAppAsync(AppReference app, CancellationToken cancellationToken);

    /// <summary>What is allocated to the app now (null: nothing), as the mesh reads it; loaded from the ConfigMap on first use.</summary>
    Task<AllocatedApp?> FindAsync(AppReference app, CancellationToken cancellationToken);

    /// <summary>Allocated and free /64s, for metrics.</summary>
    (long Allocated, long Free) Capacity { get; }
}

public sealed record AppAllocation(int Id, string Subnet);

public sealed record AllocatedApp(AppAllocation App, IReadOnlyDictionary<string, InstanceAllocation> Instances);

/// <param name="NewlyAllocated">The app got its id and /64 in this call.</param>
public sealed record EnsuredApp(AppAllocation App, IReadOnlyDictionary<string, InstanceAllocation> Instances, bool NewlyAllocated);

public sealed record InstancePlacement(string Instance, string Node);

/// <summary>Address with the app's prefix length (e.g. fd…:1::1/64) and the host UDP port on its node.</summary>
public sealed record InstanceAllocation(string Address, int Port);
