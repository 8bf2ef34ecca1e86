using System.Net;
using WgIsolate.Core.Addressing;

namespace WgIsolate.Core.Allocation;

/// <summary>
/// Hands out app indexes (/64 + id), instance addresses and per-node UDP ports over an
/// <see cref="AllocationState"/>, which it changes in place. Every call is idempotent: asking again for
/// something allocated returns it unchanged, so restarts given the persisted state renumber nothing.
/// An entry becomes free only when its owner is released; then the lowest free entry is taken first.
/// The state must change only through this allocator once it exists: it keeps the used app indexes and every
/// node's used ports indexed, so that 10,000 instances allocate in linear, not quadratic, time.
/// </summary>
public sealed class Allocator
{
    private readonly AllocationState state;
    private readonly AllocatorOptions options;
    private readonly HashSet<int> appIndexes;

    // node → port → "namespace/app/instance" holding it.
    private readonly Dictionary<string, Dictionary<int, string>> portsByNode = new(StringComparer.Ordinal);

    public Allocator(AllocationState state, AllocatorOptions? options = null)
    {
        this.state = state;
        this.options = options ?? new AllocatorOptions();
        appIndexes = [.. state.Apps.Values.Select(a => a.Index)];
        foreach (var (appKey, app) in state.Apps)
        {
            foreach (var (name, instance) in app.Instances)
            {
                Ports(instance.Node)[instance.Port] = $"{appKey}/{name}";
            }
        }
    }

    public AllocationState State => state;

    public IPNetwork ClusterPrefix => IPNetwork.Parse(state.ClusterPrefix);

    public static string Key(string appNamespace, string app) => $"{appNamespace}/{app}";

    public int FreeAppCapacity => FreeAppCapacityOf(state, options);

    public static int FreeAppCapacityOf(AllocationState state, AllocatorOptions? options = null)
    {
        options ??= new AllocatorOptions();
        return options.LastAppIndex - options.FirstAppIndex + 1 - state.Apps.Count;
    }

    public AppAllocation AllocateApp(string appKey)
    {
        if (state.Apps.TryGetValue(appKey, out var existing))
        {
            return existing;
        }

        var index = LowestFree(options.FirstAppIndex, options.LastAppIndex, appIndexes.Contains)
            ?? throw new AllocationExhaustedException(
                $"no /64 left for {appKey}: all {options.LastAppIndex - options.FirstAppIndex + 1} subnets of {state.ClusterPrefix} are allocated");
        var allocation = new AppAllocation { Index = index };
        state.Apps[appKey] = allocation;
        appIndexes.Add(index);
        return allocation;
    }

    /// <summary>Frees the app's /64, id, addresses and ports. Call only once the app is gone everywhere.</summary>
    public bool ReleaseApp(string appKey)
    {
        if (!state.Apps.TryGetValue(appKey, out var app))
        {
            return false;
        }

        state.Apps.Remove(appKey);
        appIndexes.Remove(app.Index);
        foreach (var instance in app.Instances.Values)
        {
            Ports(instance.Node).Remove(instance.Port);
        }

        return true;
    }

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

            var owner = $"{appKey}/{instance}";
            var port = AllocatePort(node, fixedPort, owner);
            Ports(existing.Node).Remove(existing.Port);
            (existing.Node, existing.Port) = (node, port);
            Ports(node)[port] = owner;
            return existing;
        }

        var addresses = app.Instances.Values.Select(i => i.AddressIndex).ToHashSet();
        ulong address = 1;
        while (addresses.Contains(address))
        {
            address++;
        }

        var newOwner = $"{appKey}/{instance}";
        var newPort = AllocatePort(node, fixedPort, newOwner);
        var allocation = new InstanceAllocation { AddressIndex = address, Node = node, Port = newPort };
        app.Instances[instance] = allocation;
        Ports(node)[newPort] = newOwner;
        return allocation;
    }

    public bool ReleaseInstance(string appKey, string instance)
    {
        if (!state.Apps.TryGetValue(appKey, out var app) || !app.Instances.TryGetValue(instance, out var released))
        {
            return false;
        }

        app.Instances.Remove(instance);
        Ports(released.Node).Remove(released.Port);
        return true;
    }

    public IPNetwork SubnetOf(AppAllocation app) => UlaSubnets.Subnet(ClusterPrefix, app.Index);

    public IPAddress AddressOf(AppAllocation app, InstanceAllocation instance) => UlaSubnets.Address(SubnetOf(app), instance.AddressIndex);

    /// <summary>A port on the node that no one but <paramref name="owner"/> holds (an instance changing its port may
    /// take any port but its current one is free to it).</summary>
    private int AllocatePort(string node, int? fixedPort, string owner)
    {
        var ports = Ports(node);
        bool Taken(int port) => ports.TryGetValue(port, out var holder) && holder != owner;
        if (fixedPort is { } wanted)
        {
            if (wanted is < 1 or > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(fixedPort), wanted, "a UDP port is 1..65535");
            }

            return Taken(wanted)
                ? throw new AllocationConflictException($"port {wanted} on node {node} is already used by {ports[wanted]}; {owner} cannot have it")
                : wanted;
        }

        return LowestFree(options.FirstPort, options.LastPort, Taken)
            ?? throw new AllocationExhaustedException(
                $"no UDP port left on node {node} for {owner}: all of {options.FirstPort}-{options.LastPort} are allocated");
    }

    private Dictionary<int, string> Ports(string node)
    {
        if (!portsByNode.TryGetValue(node, out var ports))
        {
            portsByNode[node] = ports = [];
        }

        return ports;
    }

    private static int? LowestFree(int first, int last, Func<int, bool> taken)
    {
        for (var candidate = first; candidate <= last; candidate++)
        {
            if (!taken(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
