namespace WgIsolate.Operator.Kube;

/// <summary>One ConfigMap in the operator's namespace used as a small durable document (allocations, cluster /48).</summary>
public interface IConfigMapStore
{
    Task<IReadOnlyDictionary<string, string>> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies a pure change to the current data and writes it with the read resourceVersion; on a conflict the
    /// change is applied again to a fresh read. Returns the data as stored.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> MutateAsync(
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken);
}
