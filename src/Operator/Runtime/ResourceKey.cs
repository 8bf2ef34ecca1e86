using k8s;
using k8s.Models;

namespace WgIsolate.Operator.Runtime;

/// <summary>What the cache and the work queue key objects by: namespace/name, or just name when cluster-scoped.</summary>
public readonly record struct ResourceKey(string? Namespace, string Name)
{
    public static ResourceKey Of(IKubernetesObject<V1ObjectMeta> obj) =>
        new(string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? null : obj.Metadata.NamespaceProperty, obj.Metadata.Name);

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
