using System.Text.Json;
using System.Text.Json.Serialization;

namespace WgIsolate.Core.Allocation;

/// <summary>
/// Everything allocated, as one document: host mode keeps it in its state directory, the operator in a
/// ConfigMap. Keys are sorted so the serialised form is stable and diffs stay readable.
/// </summary>
public sealed class AllocationState
{
    [JsonPropertyName("clusterPrefix")] public string ClusterPrefix { get; set; } = "";

    /// <summary>By "namespace/name".</summary>
    [JsonPropertyName("apps")] public SortedDictionary<string, AppAllocation> Apps { get; set; } = new(StringComparer.Ordinal);

    /// <param name="indented">Indented for files people read; compact where size counts (a ConfigMap holds at most 1 MiB).</param>
    public string ToJson(bool indented = true) => JsonSerializer.Serialize(this, indented ? Options : CompactOptions);

    public static AllocationState FromJson(string json) =>
        JsonSerializer.Deserialize<AllocationState>(json, Options) ?? throw new JsonException("allocation state is null");

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
    private static readonly JsonSerializerOptions CompactOptions = new();
}

public sealed class AppAllocation
{
    /// <summary>The app's stable number: its /64 is subnet <c>Index</c> of the cluster /48 and its egress
    /// IPv4 /30 follows from it. One number for both, so the two can never disagree.</summary>
    [JsonPropertyName("index")] public int Index { get; set; }

    /// <summary>By instance name.</summary>
    [JsonPropertyName("instances")] public SortedDictionary<string, InstanceAllocation> Instances { get; set; } = new(StringComparer.Ordinal);
}

public sealed class InstanceAllocation
{
    /// <summary>Interface ID of the instance's address inside the app's /64.</summary>
    [JsonPropertyName("address")] public ulong AddressIndex { get; set; }

    [JsonPropertyName("node")] public string Node { get; set; } = "";

    /// <summary>Host UDP port of the instance's WireGuard link on its node.</summary>
    [JsonPropertyName("port")] public int Port { get; set; }
}
