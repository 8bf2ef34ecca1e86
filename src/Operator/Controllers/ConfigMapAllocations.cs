using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using WgIsolate.Core.Addressing;
using WgIsolate.Core.Allocation;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Runtime;
using CoreAppAllocation = WgIsolate.Core.Allocation.AppAllocation;
using CoreInstanceAllocation = WgIsolate.Core.Allocation.InstanceAllocation;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Core's allocator over one <see cref="AllocationState"/> document in the operator's ConfigMap. Only the leader
/// writes, so the in-memory copy is the truth between writes; every change is applied to a fresh read and written
/// with its resourceVersion before it is used, so nothing refers to an allocation that is not stored. The cluster
/// /48 is taken from configuration or generated (RFC 4193) once, and never changes afterwards.
/// </summary>
public sealed class ConfigMapAllocations(IConfigMapStore store, string? configuredPrefix, TimeProvider time, ILogger<ConfigMapAllocations> logger)
    : IAllocations
{
    public const string DataKey = "allocations";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AllocationState? _state;

    public (long Allocated, long Free) Capacity
    {
        get
        {
            var state = _state;
            return state is null ? (0, 0) : (state.Apps.Count, new Allocator(state).FreeAppCapacity);
        }
    }

    public async Task<string> ClusterPrefixAsync(CancellationToken cancellationToken) => (await LoadAsync(cancellationToken)).ClusterPrefix;

    public async Task<AppAllocation> EnsureAppAsync(AppReference app, CancellationToken cancellationToken)
    {
        var key = Allocator.Key(app.Namespace, app.Name);
        var state = await LoadAsync(cancellationToken);
        if (!state.Apps.ContainsKey(key)) state = await MutateAsync(s => new Allocator(s).AllocateApp(key), cancellationToken);
        return ToApp(state, state.Apps[key]);
    }

    public async Task<IReadOnlyDictionary<string, InstanceAllocation>> EnsureInstancesAsync(AppReference app,
        IReadOnlyCollection<InstancePlacement> instances, int? fixedPort, CancellationToken cancellationToken)
    {
        var key = Allocator.Key(app.Namespace, app.Name);
        var state = await LoadAsync(cancellationToken);
        if (!Matches(state.Apps[key], instances, fixedPort))
        {
            state = await MutateAsync(s =>
            {
                var allocator = new Allocator(s);
                foreach (var gone in s.Apps[key].Instances.Keys.Except(instances.Select(i => i.Instance)).ToList()) allocator.ReleaseInstance(key, gone);
                foreach (var i in instances.OrderBy(i => i.Instance, StringComparer.Ordinal)) allocator.AllocateInstance(key, i.Instance, i.Node, fixedPort);
            }, cancellationToken);
        }

        var allocated = state.Apps[key];
        var subnet = UlaSubnets.Subnet(IPNetwork.Parse(state.ClusterPrefix), allocated.Index);
        return allocated.Instances.ToDictionary(i => i.Key, i => ToInstance(subnet, i.Value));
    }

    public async Task ReleaseAppAsync(AppReference app, CancellationToken cancellationToken)
    {
        var key = Allocator.Key(app.Namespace, app.Name);
        if ((await LoadAsync(cancellationToken)).Apps.ContainsKey(key)) await MutateAsync(s => new Allocator(s).ReleaseApp(key), cancellationToken);
    }

    public async Task<IReadOnlyDictionary<AppReference, AllocatedApp>> SnapshotAsync(CancellationToken cancellationToken)
    {
        var state = await LoadAsync(cancellationToken);
        var prefix = IPNetwork.Parse(state.ClusterPrefix);
        return state.Apps.ToDictionary(
            a => Ref(a.Key),
            a =>
            {
                var subnet = UlaSubnets.Subnet(prefix, a.Value.Index);
                return new AllocatedApp(new AppAllocation(a.Value.Index, subnet.ToString()),
                    a.Value.Instances.ToDictionary(i => i.Key, i => ToInstance(subnet, i.Value)));
            });
    }

    private static bool Matches(CoreAppAllocation app, IReadOnlyCollection<InstancePlacement> instances, int? fixedPort) =>
        app.Instances.Count == instances.Count
        && instances.All(i => app.Instances.TryGetValue(i.Instance, out var a) && a.Node == i.Node && (fixedPort is null || a.Port == fixedPort));

    private async Task<AllocationState> LoadAsync(CancellationToken cancellationToken)
    {
        if (_state is { } loaded) return loaded;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_state is not null) return _state;
            var data = await store.ReadAsync(cancellationToken);
            var stored = data.TryGetValue(DataKey, out var json) ? AllocationState.FromJson(json) : null;
            if (stored is not null && stored.ClusterPrefix.Length > 0)
            {
                if (configuredPrefix is not null && IPNetwork.Parse(configuredPrefix) != IPNetwork.Parse(stored.ClusterPrefix))
                {
                    // Changing the /48 would renumber every instance: the stored one wins, loudly.
                    logger.LogError("Configured cluster prefix {Configured} differs from the persisted {Persisted}; keeping {Persisted}",
                        configuredPrefix, stored.ClusterPrefix, stored.ClusterPrefix);
                }

                return _state = stored;
            }

            var prefix = configuredPrefix is not null ? IPNetwork.Parse(configuredPrefix) : UniqueLocalPrefix.Generate(time.GetUtcNow(), MacAddress());
            UlaSubnets.RequireClusterPrefix(prefix);
            logger.LogInformation("Cluster prefix {Prefix} ({Source})", prefix, configuredPrefix is null ? "generated, RFC 4193" : "configured");
            return await MutateLockedAsync(s => s.ClusterPrefix = s.ClusterPrefix.Length > 0 ? s.ClusterPrefix : prefix.ToString(), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AllocationState> MutateAsync(Action<AllocationState> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await MutateLockedAsync(change, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AllocationState> MutateLockedAsync(Action<AllocationState> change, CancellationToken cancellationToken)
    {
        try
        {
            var data = await store.MutateAsync(current =>
            {
                var state = current.TryGetValue(DataKey, out var json) ? AllocationState.FromJson(json) : new AllocationState();
                change(state);
                return new Dictionary<string, string>(current) { [DataKey] = state.ToJson() };
            }, cancellationToken);
            return _state = AllocationState.FromJson(data[DataKey]);
        }
        catch (AllocationExhaustedException e)
        {
            throw new TerminalReconcileException(e.Message, e);
        }
    }

    private static AppReference Ref(string key)
    {
        var slash = key.IndexOf('/');
        return new AppReference { Namespace = key[..slash], Name = key[(slash + 1)..] };
    }

    private static AppAllocation ToApp(AllocationState state, CoreAppAllocation app) =>
        new(app.Index, UlaSubnets.Subnet(IPNetwork.Parse(state.ClusterPrefix), app.Index).ToString());

    private static InstanceAllocation ToInstance(IPNetwork subnet, CoreInstanceAllocation instance) =>
        new($"{UlaSubnets.Address(subnet, instance.AddressIndex)}/{subnet.PrefixLength}", instance.Port);

    // RFC 4193 wants an EUI-64 from a MAC of this machine; any stable-enough one will do, random when there is none.
    private static PhysicalAddress MacAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Select(n => n.GetPhysicalAddress())
            .FirstOrDefault(m => m.GetAddressBytes().Length == 6 && m.GetAddressBytes().Any(b => b != 0))
        ?? new PhysicalAddress(RandomNumberGenerator.GetBytes(6));
}
