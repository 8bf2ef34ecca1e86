using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

/// <summary>
/// An IsolatedNode spec change as RFC 6902 operations: interfaces and their peers are lists keyed by app and
/// instance, so removing one pod from its peers' nodes is one "remove" per interface instead of the whole spec
/// (0.8 MB at the scale) on every node it touches. Indices are only valid against the exact spec they were
/// computed from, so the store sends them behind a test of that spec's metadata.generation.
/// </summary>
public static class NodeSpecPatch
{
    private const string Interfaces = "/spec/interfaces";

    /// <summary>The operations that turn <paramref name="from"/> into <paramref name="to"/> (none when they are
    /// equal), or null when entries changed order, which edits in place cannot express.</summary>
    public static IReadOnlyList<JsonPatchOperation>? Between(IsolatedNodeSpec from, IsolatedNodeSpec to)
    {
        var operations = new List<JsonPatchOperation>();
        if (from.ClusterPrefix != to.ClusterPrefix)
        {
            operations.Add(JsonPatchOperation.Replace("/spec/clusterPrefix", to.ClusterPrefix));
        }

        var edited = EditList(Interfaces, from.Interfaces, to.Interfaces, i => (i.App, i.Instance), operations, (path, before, after) =>
        {
            if (!SameJson(before, after, InterfaceWithoutPeers))
            {
                operations.Add(JsonPatchOperation.Replace(path, after));
            }
            else if (!EditList($"{path}/peers", before.Peers, after.Peers, p => (p.App, p.Instance), operations, (peerPath, a, b) =>
                     {
                         if (!SameJson(a, b, KubeJson.Options)) operations.Add(JsonPatchOperation.Replace(peerPath, b));
                     }))
            {
                operations.Add(JsonPatchOperation.Replace($"{path}/peers", after.Peers));
            }
        });
        return edited ? operations : null;
    }

    /// <summary>
    /// Appends the edits of one keyed list: removals from the end first (so earlier indices hold), then, walking
    /// the wanted list, an insertion for each new key and <paramref name="edit"/> for each kept entry that is not
    /// the very same object (the planner hands out unchanged entries as the same objects). False, with nothing
    /// appended, when a key repeats or the kept entries changed order.
    /// </summary>
    private static bool EditList<T, TKey>(string path, IReadOnlyList<T> from, IReadOnlyList<T> to, Func<T, TKey> keyOf,
        List<JsonPatchOperation> operations, Action<string, T, T> edit)
        where T : class
        where TKey : notnull
    {
        var wanted = to.Select(keyOf).ToHashSet();
        if (wanted.Count != to.Count) return false;
        var kept = new List<T>(from.Count);
        var removed = new List<int>();
        for (var i = 0; i < from.Count; i++)
        {
            if (wanted.Contains(keyOf(from[i]))) kept.Add(from[i]);
            else removed.Add(i);
        }

        var keptKeys = kept.Select(keyOf).ToHashSet();
        if (keptKeys.Count != kept.Count) return false;

        var start = operations.Count;
        for (var r = removed.Count - 1; r >= 0; r--)
        {
            operations.Add(JsonPatchOperation.Remove($"{path}/{removed[r]}"));
        }

        // Invariant: the list now holds to[0..j) followed by kept[k..], so position j is where to[j] goes.
        var k = 0;
        for (var j = 0; j < to.Count; j++)
        {
            var key = keyOf(to[j]);
            if (k < kept.Count && EqualityComparer<TKey>.Default.Equals(keyOf(kept[k]), key))
            {
                if (!ReferenceEquals(kept[k], to[j])) edit($"{path}/{j}", kept[k], to[j]);
                k++;
            }
            else if (keptKeys.Contains(key))
            {
                operations.RemoveRange(start, operations.Count - start);
                return false;
            }
            else
            {
                operations.Add(JsonPatchOperation.Add($"{path}/{j}", to[j]));
            }
        }

        return true;
    }

    // Compared as the client serialises them for the API, so a field added to the types later is compared without
    // anyone remembering to add it here.
    private static bool SameJson<T>(T a, T b, JsonSerializerOptions options) =>
        JsonSerializer.SerializeToUtf8Bytes(a, options).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(b, options));

    private static readonly JsonSerializerOptions InterfaceWithoutPeers = new(KubeJson.Options)
    {
        TypeInfoResolver = KubeJson.Options.TypeInfoResolver!.WithAddedModifier(info =>
        {
            if (info.Type != typeof(NodeInterfaceSpec)) return;
            info.Properties.Remove(info.Properties.Single(p => p.Name == "peers"));
        }),
    };
}
