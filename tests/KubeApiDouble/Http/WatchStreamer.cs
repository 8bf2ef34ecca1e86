using System.Globalization;
using Microsoft.AspNetCore.Http;
using WgIsolate.KubeApiDouble.Faults;
using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble.Http;

/// <summary>A watch on the wire: a chunked 200 response of newline-delimited <c>{"type":...,"object":...}</c> events.
/// A too-old resourceVersion is an ERROR event carrying a 410 Status, as the real server sends it once the watch has
/// started.</summary>
public sealed class WatchStreamer(ObjectStore store, FaultInjector faults, TimeSpan bookmarkInterval, CancellationToken stopping)
{
    public async Task StreamAsync(HttpContext context, RequestTarget target)
    {
        var request = context.Request;
        var from = ResourceHandler.ResourceVersion(request);
        var labels = LabelSelector.Parse(request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(request.Query["fieldSelector"], target.Kind);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (int.TryParse(request.Query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            lifetime.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        WatchSubscription watch;
        try
        {
            if (from is > 0 && faults.TakeExpiredResume())
            {
                throw ApiError.Gone($"too old resource version: {from} (injected fault)");
            }
            watch = store.Watch(target.Kind, target.Namespace, labels, fields, from);
        }
        catch (ApiError error)
        {
            await WriteLineAsync(context, $"{{\"type\":\"ERROR\",\"object\":{error.ToStatus().ToJsonString()}}}", lifetime.Token);
            return;
        }
        using (watch)
        {
            await context.Response.StartAsync(lifetime.Token);
            await context.Response.Body.FlushAsync(lifetime.Token);
            var bookmarks = request.Query["allowWatchBookmarks"] == "true" ? SendBookmarksAsync(watch, lifetime.Token) : Task.CompletedTask;
            try
            {
                var sent = 0;
                await foreach (var frame in watch.Frames.ReadAllAsync(lifetime.Token))
                {
                    await WriteLineAsync(context, $"{{\"type\":\"{frame.Type}\",\"object\":{frame.ObjectJson}}}", lifetime.Token);
                    if (frame.Type != "BOOKMARK" && ++sent >= (faults.DropWatchesAfterEvents ?? int.MaxValue))
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                // Client went away, timeoutSeconds elapsed, or the double stops: the watch simply ends.
            }
            finally
            {
                await lifetime.CancelAsync();
                await bookmarks;
            }
        }
    }

    private async Task SendBookmarksAsync(WatchSubscription watch, CancellationToken token)
    {
        using var timer = new PeriodicTimer(bookmarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                store.Bookmark(watch);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The watch ended.
        }
    }

    private static async Task WriteLineAsync(HttpContext context, string line, CancellationToken token)
    {
        await context.Response.WriteAsync(line + "\n", token);
        await context.Response.Body.FlushAsync(token);
    }
}
