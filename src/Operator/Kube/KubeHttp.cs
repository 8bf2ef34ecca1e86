using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Kube;

/// <summary>
/// Requests through the client's own HttpClient, credentials (TLS, the kubeconfig's authentication, a rotating
/// service account token) and timeout where its generated calls cost too much at the scale. Those
/// serialise a body to a string and then to bytes and parse every answer whole, which for whole IsolatedNode specs
/// (0.8 MB) and the allocation ConfigMap (611 KiB, written a few hundred times while a cluster converges) was most
/// of the operator's large-object garbage; and they wrap a watch in content only their string-per-event watcher
/// can read. Refusals are <see cref="HttpRequestException"/>s with the status code, which <see cref="KubeErrors"/>
/// reads like the client's own.
/// </summary>
public sealed class KubeHttp(Kubernetes client)
{
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>Writes an object (PUT, POST) or a patch (PATCH with <paramref name="mediaType"/>) with its JSON streamed
    /// to the server, and reads back only the stored object's metadata. Like the generated calls, it gives up after
    /// the client's HttpClientTimeout: its HttpClient has none, and a write must not wait forever on a stuck server.</summary>
    public async Task<V1ObjectMeta> WriteAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken,
        string mediaType = "application/json")
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(client.HttpClientTimeout);
        using var content = JsonContent.Create(body, body.GetType(), new MediaTypeHeaderValue(mediaType), KubeJson.Options);
        using var response = await SendAsync(method, path, content, timeout.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var written = await JsonSerializer.DeserializeAsync<MetadataOnly>(stream, KubeJson.Options, timeout.Token);
        return written?.Metadata ?? throw new InvalidDataException($"{method} {path} answered without an object");
    }

    /// <summary>Opens a watch with bookmarks; the body is left unread for <see cref="WatchEventReader"/>. A 410 at the
    /// start is <see cref="ResourceExpiredException"/>.</summary>
    public async Task<HttpResponseMessage> WatchAsync(string path, string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var query = $"watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}" +
            $"&timeoutSeconds={timeoutSeconds.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            return await SendAsync(HttpMethod.Get, $"{path}?{query}", null, cancellationToken);
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Gone)
        {
            throw new ResourceExpiredException(e.Message, e);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, $"{client.BaseUri.ToString().TrimEnd('/')}/{pathAndQuery}") { Content = content };
        if (client.Credentials is not null) await client.Credentials.ProcessHttpRequestAsync(request, cancellationToken);
        var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode) return response;

        using (response)
        {
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{method} {pathAndQuery} was refused with {(int)response.StatusCode}: {answer}", null, response.StatusCode);
        }
    }

    /// <summary>What is read of a written object: the rest (a megabyte of data or spec, an agent's status) is skipped
    /// unparsed.</summary>
    private sealed class MetadataOnly
    {
        [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    }
}
