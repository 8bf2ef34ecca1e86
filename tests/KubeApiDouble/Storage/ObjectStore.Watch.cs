using System.Globalization;
using System.Text.Json.Nodes;

namespace WgIsolate.KubeApiDouble.Storage;

public sealed partial class ObjectStore
{
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<WatchSubscription> _watches = [];

    // Events at or below this resourceVersion are gone: a watch or list from an older one gets 410 Gone.
    private long _compactedThrough;

    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>
    /// Opens a watch. Without a resourceVersion (or "0") it starts with a synthetic ADDED for every matching object,
    /// like the real server; from resourceVersion N it replays every later change in order, then streams live ones.
    /// Throws 410 Gone when N is older than the compacted history.
    /// </summary>
    public WatchSubscription Watch(ResourceKind kind, string? ns, LabelSelector labels, FieldSelector fields, long? fromResourceVersion)
    {
        lock (_gate)
        {
            if (fromResourceVersion is { } from && from > 0 && from < _compactedThrough)
            {
                throw ApiError.Gone($"too old resource version: {from} ({_compactedThrough})");
            }
            var watch = new WatchSubscription(kind, new Selection(ns, labels, fields), Forget);
            if (fromResourceVersion is null or 0)
            {
                foreach (var obj in Bucket(kind).Values.Where(o => watch.Matches(o.Tree)))
                {
                    watch.Write("ADDED", JsonFor(obj, kind));
                }
            }
            else
            {
                foreach (var change in _history.Where(e => e.ResourceVersion > fromResourceVersion && e.StorageKey == StorageKey(kind)))
                {
                    watch.Offer(change, JsonFor(change.Object, kind));
                }
            }
            _watches.Add(watch);
            return watch;
        }
    }

    /// <summary>Queues a BOOKMARK carrying the current resourceVersion behind every event already queued, so a client
    /// resuming from it misses nothing.</summary>
    public void Bookmark(WatchSubscription watch)
    {
        lock (_gate)
        {
            watch.Write("BOOKMARK", new JsonObject
            {
                ["kind"] = watch.Kind.Kind,
                ["apiVersion"] = watch.Kind.ApiVersion,
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture),
                },
            });
        }
    }

    /// <summary>Forgets all history up to the current resourceVersion, as an etcd compaction does.</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    /// <summary>What an apiserver restart looks like to clients: every watch ends and the new watch cache starts at the
    /// current resourceVersion, so resuming from an older one gets 410 Gone.</summary>
    public void RestartWithCompactedHistory()
    {
        lock (_gate)
        {
            CompactHistory();
            foreach (var watch in _watches)
            {
                watch.Close();
            }
            _watches.Clear();
        }
    }

    // Caller holds the lock. Undoes, newest first, every change after the requested version.
    private (IEnumerable<StoredObject> Objects, long ResourceVersion) SnapshotAt(ResourceKind kind, long resourceVersion)
    {
        if (resourceVersion < _compactedThrough)
        {
            throw ApiError.Gone($"too old resource version: {resourceVersion} ({_compactedThrough})");
        }
        if (resourceVersion > _resourceVersion)
        {
            throw new ApiError(504, "Timeout", $"Too large resource version: {resourceVersion}, current: {_resourceVersion}");
        }
        var state = new Dictionary<string, StoredObject>(Bucket(kind));
        for (var node = _history.Last; node is not null && node.Value.ResourceVersion > resourceVersion; node = node.Previous)
        {
            var change = node.Value;
            if (change.StorageKey != StorageKey(kind))
            {
                continue;
            }
            var key = Key((string?)change.Object.Tree["metadata"]?["namespace"], (string)change.Object.Tree["metadata"]!["name"]!);
            if (change.Previous is null)
            {
                state.Remove(key);
            }
            else
            {
                state[key] = change.Previous;
            }
        }
        return (state.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value), resourceVersion);
    }

    // Caller holds the lock.
    private void Record(ResourceKind kind, string type, StoredObject obj, StoredObject? previous)
    {
        var change = new StoredEvent(_resourceVersion, StorageKey(kind), type, obj, previous);
        _history.AddLast(change);
        while (_history.Count > historyLimit)
        {
            _compactedThrough = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
        foreach (var watch in _watches.Where(w => StorageKey(w.Kind) == change.StorageKey))
        {
            watch.Offer(change, JsonFor(obj, watch.Kind));
        }
        previous?.Superseded();
    }

    private void Forget(WatchSubscription watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }

    // Caller holds the lock. The stored JSON is shared as it is; only a watch of another version gets its own.
    private static string JsonFor(StoredObject obj, ResourceKind kind) =>
        (string?)obj.Tree["apiVersion"] == kind.ApiVersion ? obj.Json : WithApiVersion(obj.Copy(), kind).ToJsonString();
}
