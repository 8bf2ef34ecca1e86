using k8s;
using k8s.Models;

namespace WgIsolate.Operator.Runtime;

/// <summary>
/// The two calls an informer makes for one resource type: a full list and a watch from a resourceVersion.
/// A watch that the server ends normally (its timeout) simply completes; a resourceVersion that is too old
/// surfaces as <see cref="ResourceExpiredException"/>, any other ERROR event as <see cref="WatchErrorEventException"/>,
/// transport failures as whatever the transport threw.
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

/// <summary>The watch cannot simply be resumed; only a fresh list restores a complete picture.</summary>
public abstract class RelistRequiredException(string message, Exception? inner) : Exception(message, inner);

/// <summary>410 Gone: the resourceVersion was compacted away.</summary>
public sealed class ResourceExpiredException(string message, Exception? inner = null) : RelistRequiredException(message, inner);

/// <summary>The server sent an ERROR event other than 410; what was missed is unknown, so list again.</summary>
public sealed class WatchErrorEventException(string message, Exception? inner = null) : RelistRequiredException(message, inner);
