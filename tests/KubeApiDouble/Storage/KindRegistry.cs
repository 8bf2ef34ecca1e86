using System.Collections.Concurrent;

namespace WgIsolate.KubeApiDouble.Storage;

/// <summary>The resources the double serves: the built-in kinds WgIsolate uses plus every CRD loaded.</summary>
public sealed class KindRegistry
{
    private readonly ConcurrentDictionary<string, ResourceKind> _kinds = new();

    public KindRegistry()
    {
        Add(Core("namespaces", "Namespace", namespaced: false, status: true, generation: false, resetStatus: false));
        Add(Core("pods", "Pod", namespaced: true, status: true, generation: true, resetStatus: true));
        Add(Core("nodes", "Node", namespaced: false, status: true, generation: false, resetStatus: false));
        Add(Core("secrets", "Secret", namespaced: true, status: false, generation: false, resetStatus: false));
        Add(Core("configmaps", "ConfigMap", namespaced: true, status: false, generation: false, resetStatus: false));
        Add(Core("events", "Event", namespaced: true, status: false, generation: false, resetStatus: false));
        Add(new ResourceKind("events.k8s.io", "v1", "events", "Event", true, false, false, false, false));
        Add(new ResourceKind("coordination.k8s.io", "v1", "leases", "Lease", true, false, false, false, false));
    }

    public IEnumerable<ResourceKind> All => _kinds.Values.OrderBy(k => k.Key, StringComparer.Ordinal);

    public void Add(ResourceKind kind) => _kinds[kind.Key] = kind;

    public ResourceKind? Find(string group, string version, string plural) =>
        _kinds.GetValueOrDefault($"{group}/{version}/{plural}");

    private static ResourceKind Core(string plural, string kind, bool namespaced, bool status, bool generation, bool resetStatus) =>
        new("", "v1", plural, kind, namespaced, status, generation, resetStatus, RequiresResourceVersionOnUpdate: false);
}
