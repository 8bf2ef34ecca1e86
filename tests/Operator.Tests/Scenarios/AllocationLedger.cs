using k8s;
using System.Net;
using WgIsolate.Core.Addressing;
using WgIsolate.Core.Allocation;
using WgIsolate.Core.Api;
using ConfigMapAllocations = WgIsolate.Operator.Controllers.ConfigMapAllocations;
using WgIsolate.Operator.Kube;

namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// The operator's allocations read back in one go from where they are stored (the allocation ConfigMap) and where they
/// are published (app status, IsolatedNode specs): what the fault tests wait for, compare before and after a fault,
/// and check for anything handed out twice.
/// </summary>
internal sealed class AllocationLedger
{
    public const string ConfigMap = "wgisolate-allocations";
    public const string OperatorNamespace = "ops";

    private AllocationLedger(AllocationState stored, IReadOnlyDictionary<string, V1Alpha1IsolatedApp> apps, IReadOnlyList<V1Alpha1IsolatedNode> nodes) =>
        (Stored, Apps, Nodes) = (stored, apps, nodes);

    public AllocationState Stored { get; }
    public IReadOnlyDictionary<string, V1Alpha1IsolatedApp> Apps { get; }
    public IReadOnlyList<V1Alpha1IsolatedNode> Nodes { get; }

    public static async Task<AllocationLedger> ReadAsync(ScenarioCluster cluster)
    {
        var maps = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(OperatorNamespace);
        var data = maps.Items.SingleOrDefault(m => m.Metadata.Name == ConfigMap)?.Data;
        var json = data is not null && data.TryGetValue(ConfigMapAllocations.DataKey, out var stored) ? stored : null;
        var apps = await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<V1Alpha1IsolatedApp>>(ApiGroup.Group,
            ApiGroup.Version, ScenarioCluster.Namespace, V1Alpha1IsolatedApp.KubePluralName);
        var nodes = await cluster.Client.CustomObjects.ListClusterCustomObjectAsync<CustomResourceList<V1Alpha1IsolatedNode>>(ApiGroup.Group,
            ApiGroup.Version, V1Alpha1IsolatedNode.KubePluralName);
        return new AllocationLedger(json is null ? new AllocationState() : AllocationState.FromJson(json),
            apps.Items.ToDictionary(a => a.Metadata.Name), [.. nodes.Items]);
    }

    /// <summary>Polls until every app of <paramref name="desired"/> (app → pod → node) is allocated, in its status and
    /// on its nodes, consistently, and nothing else is allocated or on the nodes; the failure names what was still missing.</summary>
    public static async Task<AllocationLedger> ConvergedAsync(ScenarioCluster cluster, DesiredApps desired, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var ledger = await ReadAsync(cluster);
            var missing = ledger.Unconverged(desired);
            if (missing is null) return ledger;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for convergence: {missing}");
            await Task.Delay(100);
        }
    }

    /// <summary>What each app ("app": id and subnet) and each instance ("app/pod": node, address, port) holds.
    /// Meaningful once converged: then status, nodes and ConfigMap agree, so the ConfigMap's words stand for all.</summary>
    public IReadOnlyDictionary<string, string> Allocated() =>
        Stored.Apps.Select(a => (a.Key, $"id {a.Value.Index} subnet {Subnet(a.Value)}"))
            .Concat(Stored.Apps.SelectMany(a => a.Value.Instances.Select(i =>
                ($"{a.Key}/{i.Key}", $"on {i.Value.Node} {Address(a.Value, i.Value)} port {i.Value.Port}"))))
            .ToDictionary(x => x.Item1, x => x.Item2);

    /// <summary>The entries of <paramref name="before"/> that are now missing or different, as "key: before → now".</summary>
    public IReadOnlyList<string> Changed(IReadOnlyDictionary<string, string> before)
    {
        var now = Allocated();
        return [.. before.Where(b => now.GetValueOrDefault(b.Key) != b.Value).Select(b => $"{b.Key}: {b.Value} → {now.GetValueOrDefault(b.Key) ?? "gone"}")];
    }

    /// <summary>Everything handed out to two holders at once: app ids, subnets, addresses, (node, port) pairs, as
    /// stored and as published on the nodes.</summary>
    public IReadOnlyList<string> AllocatedTwice()
    {
        var stored = Stored.Apps.SelectMany(a => a.Value.Instances.Select(i => (App: a.Key, a.Value.Index, Name: i.Key, Instance: i.Value))).ToList();
        var published = Nodes.SelectMany(n => n.Spec.Interfaces.Select(i => (Node: n.Metadata.Name, Interface: i))).ToList();
        return
        [
            .. Twice("app id", Stored.Apps.Select(a => (a.Value.Index.ToString(), a.Key))),
            .. Twice("subnet", Apps.Values.Where(a => a.Status?.Subnet is not null).Select(a => (a.Status!.Subnet!, a.Metadata.Name))),
            .. Twice("address", stored.Select(i => (Address(Stored.Apps[i.App], i.Instance), $"{i.App}/{i.Name}"))),
            .. Twice("node port", stored.Select(i => ($"{i.Instance.Node}:{i.Instance.Port}", $"{i.App}/{i.Name}"))),
            .. Twice("published address", published.Select(p => (p.Interface.Address, $"{p.Interface.App.Name}/{p.Interface.Instance}"))),
            .. Twice("published node port", published.Select(p => ($"{p.Node}:{p.Interface.ListenPort}", $"{p.Interface.App.Name}/{p.Interface.Instance}"))),
            .. Twice("published app id", published.Select(p => (p.Interface.AppId.ToString(), p.Interface.App.Name)).Distinct()),
        ];
    }

    private static IEnumerable<string> Twice(string what, IEnumerable<(string Value, string Holder)> held) =>
        held.GroupBy(h => h.Value).Where(g => g.Count() > 1).Select(g => $"{what} {g.Key} held by {string.Join(" and ", g.Select(h => h.Holder))}");

    /// <summary>Null when converged to <paramref name="desired"/>; otherwise the first thing that is not there yet.</summary>
    public string? Unconverged(DesiredApps desired)
    {
        if (Stored.ClusterPrefix.Length == 0) return "no cluster prefix stored";
        foreach (var (name, pods) in desired.Apps)
        {
            if (!Stored.Apps.TryGetValue($"{ScenarioCluster.Namespace}/{name}", out var stored)) return $"{name} not allocated";
            var storedInstances = stored.Instances.Select(i => $"{i.Key}@{i.Value.Node}").Order();
            if (!storedInstances.SequenceEqual(pods.Select(p => $"{p.Key}@{p.Value}").Order())) return $"{name}'s instances stored as {string.Join(", ", storedInstances)}";

            var status = Apps.GetValueOrDefault(name)?.Status;
            if (status?.Subnet != Subnet(stored)) return $"{name}'s status subnet {status?.Subnet}, stored {Subnet(stored)}";
            foreach (var (pod, allocation) in stored.Instances)
            {
                var address = Address(stored, allocation);
                var shown = status.Instances.SingleOrDefault(i => i.Name == pod);
                if (shown?.Node != allocation.Node || shown.Address != address || shown.Endpoint?.EndsWith($":{allocation.Port}", StringComparison.Ordinal) != true)
                {
                    return $"{name}'s status shows {pod} as {shown?.Node} {shown?.Address} {shown?.Endpoint}, stored {allocation.Node} {address} port {allocation.Port}";
                }

                var planned = Nodes.SingleOrDefault(n => n.Metadata.Name == allocation.Node)?.Spec.Interfaces
                    .SingleOrDefault(i => i.App.Name == name && i.Instance == pod);
                if (planned is null || planned.AppId != stored.Index || planned.Address != $"{address}/64" || planned.ListenPort != allocation.Port)
                {
                    return $"{allocation.Node} plans {pod} as id {planned?.AppId} {planned?.Address} port {planned?.ListenPort}, stored id {stored.Index} {address} port {allocation.Port}";
                }
            }
        }

        var released = Stored.Apps.Keys.Except(desired.Apps.Keys.Select(a => $"{ScenarioCluster.Namespace}/{a}")).ToList();
        if (released.Count > 0) return $"apps no longer wanted still allocated: {string.Join(", ", released)}";
        var extra = Nodes.SelectMany(n => n.Spec.Interfaces.Where(i => desired.Apps.GetValueOrDefault(i.App.Name)?.GetValueOrDefault(i.Instance) != n.Metadata.Name)
            .Select(i => $"{i.App.Name}/{i.Instance} on {n.Metadata.Name}")).ToList();
        return extra.Count > 0 ? $"interfaces no longer wanted still planned: {string.Join(", ", extra)}" : null;
    }

    private string Subnet(AppAllocation app) => UlaSubnets.Subnet(IPNetwork.Parse(Stored.ClusterPrefix), app.Index).ToString();

    private string Address(AppAllocation app, InstanceAllocation instance) =>
        UlaSubnets.Address(UlaSubnets.Subnet(IPNetwork.Parse(Stored.ClusterPrefix), app.Index), instance.AddressIndex).ToString();
}
