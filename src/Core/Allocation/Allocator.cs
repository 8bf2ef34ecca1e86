using System.Net;
using WgIsolate.Core.Addressing;

namespace WgIsolate.Core.Allocation;

/// <summary>
/// Hands out app indexes (/64 + id), instance addresses and per-node UDP ports over an
/// <see cref="AllocationState"/>, which it changes in place. Every call is idempotent: asking again for
/// something allocated returns it unchanged, so restarts given the persisted state renumber nothing.
/// An entry becomes free only when its owner is released; then the lowest free entry is taken first.
/// </summary>
public sealed class Allocator(AllocationState state, AllocatorOptions? options = null)
{
    private readonly AllocatorOptions options = options ?? new AllocatorOptions();

    public AllocationState State => state;

    public IPNetwork ClusterPrefix => IPNetwork.Parse(state.ClusterPrefix);

    public static string Key(string appNamespace, string app) => $"{appNamespace}/{app}";

    public int FreeAppCapacity => options.LastAppIndex - options.FirstAppIndex + 1 - state.Apps.Count;

    public AppAllocation AllocateApp(string appKey)
    {
        if (state.Apps.TryGetValue(appKey, out var existing))
        {
            return existing;
        }

        var taken = state.Apps.Values.Select(a => a.Index).ToHashSet();
        var index = LowestFree(options.FirstAppIndex, options.LastAppIndex, taken)
            ?? throw new AllocationExhaustedException(
                $"no /64 left for {appKey}: all {options.LastAppIndex - options.FirstAppIndex + 1} subnets of {state.ClusterPrefix} are allocated");
        var allocation = new AppAllocation { Index = index };
        state.Apps[appKey] = allocation;
        return allocation;
    }

    /// <summary>Frees the app's /64, id, addresses and ports. Call only once the app is gone everywhere.</summary>
    public bool ReleaseApp(string appKey) => state.Apps.Remove(appKey);

    /// <summary>
    /// Allocates an instance's address and its port on <paramref name="node"/>. An instance that moved to another
    /// node keeps its address (peers' allowed IPs stay valid) and gets a port on the new node.
    /// </summary>
    public InstanceAllocation AllocateInstance(string appKey, string instance, string node, int? fixedPort = null)
    {
        var app = state.Apps.TryGetValue(appKey, out var a)
            ? a
            : throw new InvalidOperationException($"app {appKey} has no allocation; allocate the app first");
        if (app.Instances.TryGetValue(instance, out var existing))
        {
            if (existing.Node == node && (fixedPort is null || fixedPort == existing.Port))
            {
                return existing;
            }

            existing.Port = AllocatePort(node, fixedPort, $"{appKey}/{instance}", except: existing);
            existing.Node = node;
            return existing;
        }

        var addresses = app.Instances.Values.Select(i => i.AddressIndex).ToHashSet();
        ulong address = 1;
        while (addresses.Contains(address))
        {
            address++;
        }

        var port = AllocatePort(node, fixedPort, $"{appKey}/{instance}", except: null);
        var allocation = new InstanceAllocation { AddressIndex = address, Node = node, Port = port };
        app.Instances[instance] = allocation;
        return allocation;
    }

    public bool ReleaseInstance(string appKey, string instance) =>
        state.Apps.TryGetValue(appKey, out var app) && app.Instances.Remove(instance);

    public IPNetwork SubnetOf(AppAllocation app) => UlaSubnets.Subnet(ClusterPrefix, app.Index);

    public IPAddress AddressOf(AppAllocation app, InstanceAllocation instance) => UlaSubnets.Address(SubnetOf(app), instance.AddressIndex);

    private int AllocatePort(string node, int? fixedPort, string owner, InstanceAllocation? except)
    {
        var taken = state.Apps
            .SelectMany(a => a.Value.Instances.Select(i => (Owner: $"{a.Key}/{i.Key}", i.Value)))
            .Where(i => i.Value.Node == node && !ReferenceEquals(i.Value, except))
            .ToDictionary(i => i.Value.Port, i => i.Owner);
        if (fixedPort is { } wanted)
        {
            if (wanted is < 1 or > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(fixedPort), wanted, "a UDP port is 1..65535");
            }

            return taken.TryGetValue(wanted, out var holder)
                ? throw new AllocationConflictException($"port {wanted} on node {node} is already used by {holder}; {owner} cannot have it")
                : wanted;
        }

        return LowestFree(options.FirstPort, options.LastPort, taken.Keys.ToHashSet())
            ?? throw new AllocationExhaustedException(
                $"no UDP port left on node {node} for {owner}: all of {options.FirstPort}-{options.LastPort} are allocated");
    }

    private static int? LowestFree(int first, int last, HashSet<int> taken)
    {
        for (var candidate = first; candidate <= last; candidate++)
        {
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
