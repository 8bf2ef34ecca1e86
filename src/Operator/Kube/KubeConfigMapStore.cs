using k8s;
using k8s.Models;

namespace WgIsolate.Operator.Kube;

public sealed class KubeConfigMapStore(IKubernetes client, string ns, string name) : IConfigMapStore
{
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(CancellationToken cancellationToken) =>
        Data(await TryReadAsync(cancellationToken));

    public Task<IReadOnlyDictionary<string, string>> MutateAsync(
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken) =>
        OptimisticConcurrency.RetryOnConflictAsync($"ConfigMap {ns}/{name}", async () =>
        {
            var current = await TryReadAsync(cancellationToken);
            var before = Data(current);
            var after = change(before);
            if (SameData(before, after)) return before;

            if (current is null)
            {
                var created = new V1ConfigMap
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = OperatorLabels.ManagedBy },
                    Data = after.ToDictionary(),
                };
                await client.CoreV1.CreateNamespacedConfigMapAsync(created, ns, cancellationToken: cancellationToken);
                return after;
            }

            current.Data = after.ToDictionary();
            await client.CoreV1.ReplaceNamespacedConfigMapAsync(current, name, ns, cancellationToken: cancellationToken);
            return after;
        });

    private async Task<V1ConfigMap?> TryReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            return null;
        }
    }

    private static IReadOnlyDictionary<string, string> Data(V1ConfigMap? map) =>
        map?.Data is { } data ? new Dictionary<string, string>(data) : new Dictionary<string, string>();

    private static bool SameData(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
