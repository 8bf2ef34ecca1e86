using System.Net;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Tests.Kube;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Tests.Runtime;

/// <summary>
/// The real KubernetesClient against scripted HTTP answers, for the one thing the client does not do for us:
/// ending a watch on an ERROR event and telling 410 Gone apart from other failures.
/// </summary>
public sealed class KubeResourceSourceTests : IAsyncLifetime
{
    private LoopbackApi? _api;
    private readonly List<string> _requests = [];

    /// <summary>Lines the watch endpoint writes, one JSON watch event each, then it keeps the stream open.</summary>
    private string[] _watchLines = [];
    private HttpStatusCode _watchStatus = HttpStatusCode.OK;

    public async Task InitializeAsync()
    {
        _api = await LoopbackApi.StartAsync(server => server.MapGet("/api/v1/pods", async (HttpContext http) =>
        {
            lock (_requests) _requests.Add(http.Request.QueryString.Value ?? "");
            if (http.Request.Query["watch"] != "true")
            {
                await http.Response.WriteAsync("""{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"10"},"items":[{"metadata":{"name":"a","namespace":"ns","resourceVersion":"9"}}]}""");
                return;
            }

            http.Response.StatusCode = (int)_watchStatus;
            if (_watchStatus != HttpStatusCode.OK)
            {
                await http.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"boom","code":500}""");
                return;
            }

            foreach (var line in _watchLines)
            {
                await http.Response.WriteAsync(line + "\n");
                await http.Response.Body.FlushAsync();
            }

            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { });
        }));
    }

    private IResourceSource<V1Pod> Source => KubeSources.Pods(_api!.Client);

    private static string Event(string type, string name, string rv) =>
        "{\"type\":\"" + type + "\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"ns\",\"resourceVersion\":\"" + rv + "\"}}}";

    [Fact]
    public async Task List_ReturnsItemsAndTheListsResourceVersion()
    {
        var listing = await Source.ListAsync(CancellationToken.None);

        Assert.Equal("10", listing.ResourceVersion);
        Assert.Equal("a", Assert.Single(listing.Items).Metadata.Name);
    }

    [Fact]
    public async Task Watch_AsksForBookmarksFromTheResourceVersionWithTheTimeout_AndYieldsEvents()
    {
        _watchLines = [Event("ADDED", "b", "11"), """{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12"}}}"""];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(WatchEventType, string?)>();

        await foreach (var e in Source.WatchAsync("10", TimeSpan.FromSeconds(420), stop.Token))
        {
            seen.Add((e.Type, e.Object.Metadata.ResourceVersion));
            if (seen.Count == 2) break;
        }

        Assert.Equal([(WatchEventType.Added, "11"), (WatchEventType.Bookmark, "12")], seen);
        var query = Assert.Single(_requests);
        Assert.Contains("watch=true", query);
        Assert.Contains("resourceVersion=10", query);
        Assert.Contains("allowWatchBookmarks=true", query);
        Assert.Contains("timeoutSeconds=420", query);
    }

    [Fact]
    public async Task Watch_ErrorEvent410_EndsTheWatchAsExpiredAfterTheEventsBeforeIt()
    {
        _watchLines =
        [
            Event("MODIFIED", "a", "11"),
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 10 (20)","reason":"Expired","code":410}}""",
        ];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<string?>();

        var e = await Assert.ThrowsAsync<ResourceExpiredException>(async () =>
        {
            await foreach (var ev in Source.WatchAsync("10", TimeSpan.FromSeconds(300), stop.Token)) seen.Add(ev.Object.Metadata.ResourceVersion);
        });

        Assert.Equal(["11"], seen);
        Assert.Contains("too old resource version", e.Message);
        Assert.False(stop.IsCancellationRequested);
    }

    [Fact]
    public async Task Watch_OtherErrorEvent_EndsTheWatchAskingForARelist()
    {
        _watchLines = ["""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"internal error","code":500}}"""];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var e = await Assert.ThrowsAsync<WatchErrorEventException>(async () =>
        {
            await foreach (var _ in Source.WatchAsync("10", TimeSpan.FromSeconds(300), stop.Token)) { }
        });

        Assert.Contains("internal error", e.Message);
    }

    [Fact]
    public async Task Watch_ServerAnswers500_FailsWithoutClaimingExpiry()
    {
        _watchStatus = HttpStatusCode.InternalServerError;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var e = await Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in Source.WatchAsync("10", TimeSpan.FromSeconds(300), stop.Token)) { }
        });

        Assert.NotNull(e);
        Assert.False(e is RelistRequiredException, $"a failed request is resumed, not relisted: {e}");
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
    }
}
