using k8s;
using k8s.Models;

namespace WgIsolate.Operator.Runtime;

/// <summary>
/// The two calls an informer makes for one resource type: a full list and a watch from a resourceVersion.
/// A watch that the server ends normally (its timeout) simply completes; a resourceVersion that is too old
/// surfaces as <see cref="ResourceExpiredException"/>, any other watch error as an exception.
/// </summary>
public interface IResourceSource<T> where T : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Names the resource in logs and metrics, e.g. "pods".</summary>
    string Resource { get; }

    Task<ResourceListing<T>> ListAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken);
}

public sealed record ResourceListing<T>(IReadOnlyList<T> Items, string ResourceVersion);

/// <summary>One watch event; a bookmark carries only the resourceVersion to resume from.</summary>
public sealed record ResourceWatchEvent<T>(WatchEventType Type, T Object);

/// <summary>410 Gone: the resourceVersion was compacted away; only a fresh list can continue.</summary>
public sealed class ResourceExpiredException(string message, Exception? inner = null) : Exception(message, inner);
