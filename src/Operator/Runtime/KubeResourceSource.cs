using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace WgIsolate.Operator.Runtime;

/// <summary>One generated list call of the real client.</summary>
public delegate Task<HttpOperationResponse<TList>> KubeListCall<TList>(CancellationToken cancellationToken);

/// <summary>Opens a watch from a resourceVersion: the open response, or an exception for a refused one.</summary>
public delegate Task<HttpResponseMessage> KubeWatchCall(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken);

/// <summary>
/// An <see cref="IResourceSource{T}"/> over the real KubernetesClient. Its watcher hands a 410 Gone (and any other
/// ERROR event) to onError and keeps reading, and reads every event into a string first; here the client makes the
/// watch request and <see cref="WatchEventReader"/> reads the body, the first error ends the watch and becomes an
/// exception, so the informer decides between resuming and listing again.
/// </summary>
public sealed class KubeResourceSource<T, TList>(string resource, KubeListCall<TList> list, KubeWatchCall watch) : IResourceSource<T>
    where T : IKubernetesObject<V1ObjectMeta>
    where TList : IItems<T>, IMetadata<V1ListMeta>
{
    public string Resource => resource;

    public async Task<ResourceListing<T>> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await list(cancellationToken);
        var listed = response.Body;
        return new ResourceListing<T>([.. listed.Items ?? []], listed.Metadata?.ResourceVersion ?? "");
    }

    public async IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(string resourceVersion, TimeSpan timeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await watch(resourceVersion, (int)Math.Ceiling(timeout.TotalSeconds), cancellationToken);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var events = WatchEventReader.ReadAsync<T>(body, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await events.MoveNextAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw Translate(e, resourceVersion);
            }

            if (!more) break;
            var (type, obj, error) = events.Current;
            // The first ERROR ends the watch: the informer decides between resuming and listing again.
            if (error is not null) throw Translate(new KubernetesException(error), resourceVersion);
            yield return new ResourceWatchEvent<T>(type, obj!);
        }
    }

    private Exception Translate(Exception failure, string resourceVersion) => failure switch
    {
        KubernetesException { Status.Code: (int)HttpStatusCode.Gone } =>
            new ResourceExpiredException($"resourceVersion {resourceVersion} of {resource} is gone: {failure.Message}", failure),
        KubernetesException =>
            new WatchErrorEventException($"Watch of {resource} from resourceVersion {resourceVersion} sent an error: {failure.Message}", failure),
        _ => new IOException($"Watch of {resource} from resourceVersion {resourceVersion} failed: {failure.Message}", failure),
    };
}
