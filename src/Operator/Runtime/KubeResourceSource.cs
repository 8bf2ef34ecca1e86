using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace WgIsolate.Operator.Runtime;

/// <summary>One generated list call of the real client, asked either to list or to watch.</summary>
public delegate Task<HttpOperationResponse<TList>> KubeListCall<TList>(
    bool watch, string? resourceVersion, int? timeoutSeconds, CancellationToken cancellationToken);

/// <summary>
/// An <see cref="IResourceSource{T}"/> over the real KubernetesClient. The client's watcher hands a 410 Gone (and any
/// other ERROR event) to onError and keeps reading; here the first error ends the watch and becomes an exception,
/// so the informer decides between resuming and listing again.
/// </summary>
public sealed class KubeResourceSource<T, TList>(string resource, KubeListCall<TList> call) : IResourceSource<T>
    where T : IKubernetesObject<V1ObjectMeta>
    where TList : IItems<T>, IMetadata<V1ListMeta>
{
    public string Resource => resource;

    public async Task<ResourceListing<T>> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await call(false, null, null, cancellationToken);
        var list = response.Body;
        return new ResourceListing<T>([.. list.Items ?? []], list.Metadata?.ResourceVersion ?? "");
    }

    public async IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(string resourceVersion, TimeSpan timeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var response = call(true, resourceVersion, (int)Math.Ceiling(timeout.TotalSeconds), stop.Token);

        // Marked obsolete in favour of per-type WatchList*Async methods, which 21.0.8 does not generate for custom
        // objects; this one entry point serves every resource the same way.
#pragma warning disable CS0618
        var events = response.WatchAsync<T, TList>(e =>
        {
            failure ??= e;
            stop.Cancel();
        }, stop.Token);
#pragma warning restore CS0618

        await using var enumerator = events.GetAsyncEnumerator(stop.Token);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (OperationCanceledException) when (failure is not null && !cancellationToken.IsCancellationRequested)
            {
                throw Translate(failure, resourceVersion);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
            {
                throw Translate(e, resourceVersion);
            }

            if (!more) break;
            var (type, obj) = enumerator.Current;
            yield return new ResourceWatchEvent<T>(type, obj);
        }

        if (failure is not null) throw Translate(failure, resourceVersion);
    }

    private Exception Translate(Exception failure, string resourceVersion) => failure switch
    {
        KubernetesException { Status.Code: (int)HttpStatusCode.Gone } or HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } =>
            new ResourceExpiredException($"resourceVersion {resourceVersion} of {resource} is gone: {failure.Message}", failure),
        KubernetesException =>
            new WatchErrorEventException($"Watch of {resource} from resourceVersion {resourceVersion} sent an error: {failure.Message}", failure),
        _ => new IOException($"Watch of {resource} from resourceVersion {resourceVersion} failed: {failure.Message}", failure),
    };
}
