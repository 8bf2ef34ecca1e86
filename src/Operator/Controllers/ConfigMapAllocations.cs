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
/// writes. Reads see only the state as last read from or written to the ConfigMap, so nothing can publish an
/// allocation that is not stored. Changes are group-committed: callers queue a change and wait; whoever holds the
/// write applies every queued change to a fresh read and stores them in one write (the ConfigMap holds all
/// 10,000 instances, so one write per change would be the bulk of the operator's traffic). A change that fails
/// (a taken fixed port, an exhausted pool) fails alone and leaves nothing behind. The cluster /48 is taken from
/// configuration or generated (RFC 4193) once, and never changes afterwards.
/// </summary>
public sealed class ConfigMapAllocations(IConfigMapStore store, string? configuredPrefix, TimeProvider time, ILogger<ConfigMapAllocations> logger)
    : IAllocations
{
    public const string DataKey = "allocations";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _queueLock = new();
    private List<QueuedChange> _queue = [];

    // Never changed once published here; replaced whole by the next read or write.
    private volatile AllocationState? _state;

    public (long Allocated, long Free) Capacity
    {
        get
        {
            var state = _state;
            return state is null ? (0, 0) : (state.Apps.Count, Allocator.FreeAppCapacityOf(state));
        }
    }

    public async Task<string> ClusterPrefixAsync(CancellationToken cancellationToken) => (await LoadAsync(cancellationToken)).ClusterPrefix;

    public async Task<EnsuredApp> EnsureAsync(AppReference app, IReadOnlyCollection<InstancePlacement> instances, int? fixedPort,
        CancellationToken cancellationToken)
    {
        var key = Allocator.Key(app.Namespace, app.Name);
        var state = await LoadAsync(cancellationToken);
        var newlyAllocated = !state.Apps.ContainsKey(key);
        if (newlyAllocated || !Matches(state.Apps[key], instances, fixedPort))
        {
            state = await CommitAsync(allocator =>
            {
                if (!allocator.State.Apps.ContainsKey(key)) allocator.AllocateApp(key);
                var allocated = allocator.State.Apps[key].Instances;
                foreach (var gone in allocated.Keys.Except(instances.Select(i => i.Instance)).ToList()) allocator.ReleaseInstance(key, gone);
                foreach (var i in instances.OrderBy(i => i.Instance, StringComparer.Ordinal)) allocator.AllocateInstance(key, i.Instance, i.Node, fixedPort);
            }, cancellationToken);
        }

        var allocated = Published(state, state.Apps[key]);
        return new EnsuredApp(allocated.App, allocated.Instances, newlyAllocated);
    }

    public async Task ReleaseAppAsync(AppReference app, CancellationToken cancellationToken)
    {
        var key = Allocator.Key(app.Namespace, app.Name);
        if ((await LoadAsync(cancellationToken)).Apps.ContainsKey(key)) await CommitAsync(a => a.ReleaseApp(key), cancellationToken);
    }

    public async Task<AllocatedApp?> FindAsync(AppReference app, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(cancellationToken);
        return state.Apps.TryGetValue(Allocator.Key(app.Namespace, app.Name), out var allocated) ? Published(state, allocated) : null;
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
            var change = new QueuedChange(a => a.State.ClusterPrefix = a.State.ClusterPrefix.Length > 0 ? a.State.ClusterPrefix : prefix.ToString());
            await WriteLockedAsync([change], cancellationToken);
            await change.Done.Task;
            return _state!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Queues the change and returns once a write stored it (with whatever else was queued meanwhile).</summary>
    private async Task<AllocationState> CommitAsync(Action<Allocator> change, CancellationToken cancellationToken)
    {
        var queued = new QueuedChange(change);
        lock (_queueLock) _queue.Add(queued);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!queued.Done.Task.IsCompleted)
            {
                List<QueuedChange> batch;
                lock (_queueLock) (batch, _queue) = (_queue, []);
                await WriteLockedAsync(batch, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }

        await queued.Done.Task;
        return _state!;
    }

    // Caller holds the gate. Completes every change of the batch: stored, failed alone, or failed with the write.
    private async Task WriteLockedAsync(IReadOnlyList<QueuedChange> batch, CancellationToken cancellationToken)
    {
        AllocationState? written = null;
        var failed = new Dictionary<QueuedChange, Exception>();
        try
        {
            var data = await store.MutateAsync(current =>
            {
                // A fresh read each attempt (the store retries on 409), so every change applies to what is stored.
                failed.Clear();
                written = Apply(current.TryGetValue(DataKey, out var json) ? json : null, batch, failed);
                return new Dictionary<string, string>(current) { [DataKey] = written.ToJson(indented: false) };
            }, cancellationToken);
            _state = written ?? AllocationState.FromJson(data[DataKey]);
        }
        catch (Exception e)
        {
            foreach (var change in batch) change.Done.TrySetException(e);
            return;
        }

        foreach (var change in batch)
        {
            if (failed.TryGetValue(change, out var error)) change.Done.TrySetException(error);
            else change.Done.TrySetResult();
        }
    }

    /// <summary>Applies the changes in order; one that throws is left out and the rest applied again from the stored
    /// JSON, so it leaves no half-made allocation behind.</summary>
    private static AllocationState Apply(string? json, IReadOnlyList<QueuedChange> batch, Dictionary<QueuedChange, Exception> failed)
    {
        while (true)
        {
            var state = json is null ? new AllocationState() : AllocationState.FromJson(json);
            var allocator = new Allocator(state);
            var failedNow = false;
            foreach (var change in batch.Where(c => !failed.ContainsKey(c)))
            {
                try
                {
                    change.Apply(allocator);
                }
                catch (Exception e)
                {
                    // The change's own failure (a taken fixed port, an exhausted pool, an app released meanwhile).
                    failed[change] = e is AllocationExhaustedException ? new TerminalReconcileException(e.Message, e) : e;
                    failedNow = true;
                    break;
                }
            }

            if (!failedNow) return state;
        }
    }

    private sealed class QueuedChange(Action<Allocator> apply)
    {
        public Action<Allocator> Apply => apply;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>An app's stored allocation as the controllers see it: its /64, and each instance's address in it.</summary>
    private static AllocatedApp Published(AllocationState state, CoreAppAllocation app)
    {
        var subnet = UlaSubnets.Subnet(IPNetwork.Parse(state.ClusterPrefix), app.Index);
        return new AllocatedApp(new AppAllocation(app.Index, subnet.ToString()), app.Instances.ToDictionary(i => i.Key, i => ToInstance(subnet, i.Value)));
    }

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
