using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace WgIsolate.Bench.OperatorScale;

/// <summary>
/// Watches every IsolatedNode as the agents would (list, then watch over plain HTTP, relist on 410) and keeps the
/// latest <see cref="NodeView"/> of each, stamped with when it arrived. Parses only what agents read.
/// </summary>
public sealed class IsolatedNodeWatch(HttpClient http) : IDisposable
{
    private const string Path = "/apis/wgisolate.io/v1alpha1/isolatednodes";

    private readonly ConcurrentDictionary<string, NodeView> _views = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public IReadOnlyDictionary<string, NodeView> Views => _views;

    /// <summary>Raised on the watch loop for every new view: keep it quick.</summary>
    public event Action<NodeView>? Changed;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Polls the views (cheap, in memory) until the condition holds; returns when it first did.</summary>
    public async Task<TimeSpan> WaitAsync(Func<IReadOnlyDictionary<string, NodeView>, bool> done, DateTime since, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(_views))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout} waiting for {what()}");
            await Task.Delay(2);
        }

        return DateTime.UtcNow - since;
    }

    private async Task RunAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                var list = await http.GetFromJsonAsync<JsonElement>(Path, token);
                foreach (var item in list.GetProperty("items").EnumerateArray()) Store(NodeView.Parse(item));
                var rv = list.GetProperty("metadata").GetProperty("resourceVersion").GetString();
                while (rv is not null && !token.IsCancellationRequested) rv = await WatchAsync(rv, token);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException && !token.IsCancellationRequested)
            {
                await Task.Delay(100, token);
            }
        }
    }

    /// <returns>The resourceVersion to resume from, or null to list again (410 Gone).</returns>
    private async Task<string?> WatchAsync(string rv, CancellationToken token)
    {
        using var response = await http.GetAsync($"{Path}?watch=true&resourceVersion={rv}&allowWatchBookmarks=true",
            HttpCompletionOption.ResponseHeadersRead, token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(token));
        while (await reader.ReadLineAsync(token) is { } line)
        {
            using var frame = JsonDocument.Parse(line);
            var type = frame.RootElement.GetProperty("type").GetString();
            var obj = frame.RootElement.GetProperty("object");
            if (type == "ERROR") return null;
            rv = obj.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
            if (type == "BOOKMARK") continue;
            if (type == "DELETED") _views.TryRemove(obj.GetProperty("metadata").GetProperty("name").GetString()!, out _);
            else Store(NodeView.Parse(obj));
        }

        return rv;
    }

    private void Store(NodeView view)
    {
        _views[view.Name] = view;
        Changed?.Invoke(view);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled on purpose.
        }

        _stop.Dispose();
    }
}
