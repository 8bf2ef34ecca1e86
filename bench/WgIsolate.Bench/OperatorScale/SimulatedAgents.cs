using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace WgIsolate.Bench.OperatorScale;

/// <summary>
/// The node agents' part of the protocol: once an interface appears in a node's spec, publish a public key for it in
/// status (merge patch on the status subresource, as agents own status). Keys are derived from instance and node, so
/// a pod that moves gets a new one. Publications are coalesced per node, latest spec wins.
/// </summary>
public sealed class SimulatedAgents : IDisposable
{
    private readonly HttpClient _http;
    private readonly IsolatedNodeWatch _watch;
    private readonly Channel<string> _dirty = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Task[] _workers;

    public SimulatedAgents(HttpClient http, IsolatedNodeWatch watch, int workers = 4)
    {
        _http = http;
        _watch = watch;
        watch.Changed += OnChanged;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];
    }

    public static string KeyOf(string instance, string node) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{instance}@{node}")));

    private void OnChanged(NodeView view)
    {
        if (view.AgentCaughtUp) return;
        lock (_queued)
        {
            if (_queued.Add(view.Name)) _dirty.Writer.TryWrite(view.Name);
        }
    }

    private async Task WorkAsync()
    {
        await foreach (var node in _dirty.Reader.ReadAllAsync())
        {
            lock (_queued) _queued.Remove(node);
            if (!_watch.Views.TryGetValue(node, out var view) || view.AgentCaughtUp) continue;
            var interfaces = view.Interfaces.Values.Select(i => new
            {
                app = new { @namespace = ScaleTopology.Namespace, name = i.App },
                instance = i.Instance,
                interfaceName = i.InterfaceName,
                publicKey = KeyOf(i.Instance, node),
                ready = true,
            });
            using var content = JsonContent.Create(new { status = new { interfaces } });
            content.Headers.ContentType = new("application/merge-patch+json");
            using var response = await _http.PatchAsync($"/apis/wgisolate.io/v1alpha1/isolatednodes/{node}/status", content);
            response.EnsureSuccessStatusCode();
        }
    }

    public void Dispose()
    {
        _watch.Changed -= OnChanged;
        _dirty.Writer.TryComplete();
        Task.WaitAll(_workers, TimeSpan.FromSeconds(5));
    }
}
