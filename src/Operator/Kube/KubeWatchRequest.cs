using System.Globalization;
using System.Net;
using k8s;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Kube;

/// <summary>
/// Opens a watch (with bookmarks) through the client's own HttpClient and credentials, so TLS, the kubeconfig's
/// authentication and a rotating service account token all apply, and hands over the open response: its body is
/// read by <see cref="WatchEventReader"/>, because the client's generated list call wraps a watch in content that
/// only its string-per-event watcher can read.
/// </summary>
public sealed class KubeWatchRequest(Kubernetes client, string path)
{
    /// <summary>The open response, its body still unread. A 410 at the start is <see cref="ResourceExpiredException"/>,
    /// any other refusal <see cref="HttpRequestException"/> with the status code.</summary>
    public async Task<HttpResponseMessage> SendAsync(string resource, string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var query = $"watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}" +
            $"&timeoutSeconds={timeoutSeconds.ToString(CultureInfo.InvariantCulture)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{client.BaseUri.ToString().TrimEnd('/')}/{path}?{query}");
        if (client.Credentials is not null) await client.Credentials.ProcessHttpRequestAsync(request, cancellationToken);
        var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode) return response;

        using (response)
        {
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            var message = $"Watch of {resource} from resourceVersion {resourceVersion} was refused with {(int)response.StatusCode}: {answer}";
            throw response.StatusCode == HttpStatusCode.Gone
                ? new ResourceExpiredException(message)
                : new HttpRequestException(message, null, response.StatusCode);
        }
    }
}
