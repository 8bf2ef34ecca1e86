using k8s;
using k8s.Models;

namespace WgIsolate.Operator.Kube;

/// <summary>
/// One ConfigMap, changed by read-modify-write with its resourceVersion, so a write based on an old version gets
/// 409 and is applied again to a fresh read. The version this store last read or wrote is remembered and the next
/// change starts from it without a read: only the leader writes this ConfigMap, so it is almost always current,
/// and at 10,000 instances a read is 611 KiB. When it is not, the write's 409 says so. Writes go through
/// <see cref="KubeHttp"/>: the body streamed, only the stored metadata read back.
/// </summary>
public sealed class KubeConfigMapStore(IKubernetes client, KubeHttp http, string ns, string name) : IConfigMapStore
{
    private V1ConfigMap? _known;

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(CancellationToken cancellationToken) =>
        Data(_known = await TryReadAsync(cancellationToken));

    public Task<IReadOnlyDictionary<string, string>> MutateAsync(
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken) =>
        OptimisticConcurrency.RetryOnConflictAsync($"ConfigMap {ns}/{name}", async () =>
        {
            // Taken, not peeked: if this attempt fails, the next one reads.
            var current = Interlocked.Exchange(ref _known, null) ?? await TryReadAsync(cancellationToken);
            var before = Data(current);
            var after = change(before);
            if (SameData(before, after))
            {
                _known = current;
                return before;
            }

            if (current is null)
            {
                var created = new V1ConfigMap
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = OperatorLabels.ManagedBy },
                    Data = after.ToDictionary(),
                };
                created.Metadata = await http.WriteAsync(HttpMethod.Post, $"api/v1/namespaces/{ns}/configmaps", created, cancellationToken);
                _known = created;
                return after;
            }

            current.Data = after.ToDictionary();
            current.Metadata = await http.WriteAsync(HttpMethod.Put, $"api/v1/namespaces/{ns}/configmaps/{name}", current, cancellationToken);
            _known = current;
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
