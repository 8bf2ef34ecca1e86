using System.Text.Json.Nodes;

namespace WgIsolate.KubeApiDouble.Storage;

/// <summary>
/// One version of one object as stored, like the bytes etcd keeps under a key: never changed once stored. Its JSON
/// is serialised once and shared by every reader, watcher and the history; readers parse their own copy from it,
/// so nothing outside the store's lock ever touches a shared tree. The tree is kept for the store's own reads under
/// its lock (selectors, preconditions, finalizers) and dropped once a newer version supersedes this one, so the
/// history holds text, not trees ten times its size; it is parsed again only if an old version is read.
/// </summary>
public sealed class StoredObject
{
    private JsonObject? _tree;

    internal StoredObject(JsonObject tree, long resourceVersion)
    {
        _tree = tree;
        Json = tree.ToJsonString();
        ResourceVersion = resourceVersion;
    }

    public string Json { get; }

    public long ResourceVersion { get; }

    /// <summary>Read only, and only under the store's lock: a lazily parsed tree is not safe to share.</summary>
    internal JsonObject Tree => _tree ??= Parse(Json);

    /// <summary>A private, mutable copy for a reader or writer.</summary>
    public JsonObject Copy() => Parse(Json);

    internal void Superseded() => _tree = null;

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
