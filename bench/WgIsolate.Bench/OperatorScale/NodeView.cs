using System.Text.Json;

namespace WgIsolate.Bench.OperatorScale;

/// <summary>What an agent reads from its IsolatedNode: the interfaces of spec with their peers, and which instances
/// status already publishes a key for.</summary>
public sealed record NodeView(
    string Name,
    IReadOnlyDictionary<string, SpecInterface> Interfaces,
    IReadOnlySet<string> Keyed)
{
    public static NodeView Parse(JsonElement node)
    {
        var name = node.GetProperty("metadata").GetProperty("name").GetString()!;
        var interfaces = new Dictionary<string, SpecInterface>(StringComparer.Ordinal);
        if (node.TryGetProperty("spec", out var spec) && spec.TryGetProperty("interfaces", out var specInterfaces))
        {
            foreach (var i in specInterfaces.EnumerateArray())
            {
                var peers = i.TryGetProperty("peers", out var p) ? p.EnumerateArray().Select(x => x.GetProperty("instance").GetString()!).ToArray() : [];
                var instance = i.GetProperty("instance").GetString()!;
                interfaces[instance] = new SpecInterface(i.GetProperty("app").GetProperty("name").GetString()!, instance,
                    i.GetProperty("interfaceName").GetString()!, peers);
            }
        }

        var keyed = new HashSet<string>(StringComparer.Ordinal);
        if (node.TryGetProperty("status", out var status) && status.TryGetProperty("interfaces", out var statusInterfaces))
        {
            foreach (var i in statusInterfaces.EnumerateArray())
            {
                if (i.TryGetProperty("publicKey", out var key) && key.ValueKind == JsonValueKind.String) keyed.Add(i.GetProperty("instance").GetString()!);
            }
        }

        return new NodeView(name, interfaces, keyed);
    }

    /// <summary>Status publishes a key for exactly the interfaces of spec.</summary>
    public bool AgentCaughtUp => Keyed.SetEquals(Interfaces.Keys);
}

public sealed record SpecInterface(string App, string Instance, string InterfaceName, IReadOnlyList<string> Peers);
