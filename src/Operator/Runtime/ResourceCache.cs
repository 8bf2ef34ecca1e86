using k8s;
using k8s.Models;

namespace WgIsolate.Operator.Runtime;

/// <summary>
/// The informer's in-memory copy of one resource type, keyed by namespace/name, with named secondary indexes
/// (for example pods by node). Objects handed out are shared: readers must treat them as read-only.
/// </summary>
public sealed class ResourceCache<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ResourceKey, T> _items = [];
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = [];
    private readonly Dictionary<string, Dictionary<string, HashSet<ResourceKey>>> _indexes = [];

    /// <summary>Adds an index; must be called before the informer starts filling the cache.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> indexer)
    {
        lock (_lock)
        {
            if (_items.Count > 0) throw new InvalidOperationException($"Index '{name}' must be added before the cache is filled.");
            _indexers.Add(name, indexer);
            _indexes.Add(name, new Dictionary<string, HashSet<ResourceKey>>(StringComparer.Ordinal));
        }
    }

    public int Count { get { lock (_lock) return _items.Count; } }

    public T? Get(ResourceKey key)
    {
        lock (_lock) return _items.GetValueOrDefault(key);
    }

    public IReadOnlyList<T> List()
    {
        lock (_lock) return [.. _items.Values];
    }

    public IReadOnlyList<T> ByIndex(string index, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(index, out var byValue)) throw new ArgumentException($"No index named '{index}'.", nameof(index));
            return byValue.TryGetValue(value, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    /// <summary>Stores the object and returns the one it replaced, if any.</summary>
    public T? Upsert(T obj)
    {
        var key = ResourceKey.Of(obj);
        lock (_lock)
        {
            _items.TryGetValue(key, out var old);
            if (old is not null) Unindex(key, old);
            _items[key] = obj;
            Index(key, obj);
            return old;
        }
    }

    /// <summary>Removes the object and returns the cached one (the newest we knew), if any.</summary>
    public T? Remove(ResourceKey key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out var old)) return null;
            Unindex(key, old);
            return old;
        }
    }

    /// <summary>Replaces everything with a fresh list and returns the changes a watcher would have seen.</summary>
    public IReadOnlyList<CacheChange<T>> Replace(IEnumerable<T> items)
    {
        lock (_lock)
        {
            var changes = new List<CacheChange<T>>();
            var seen = new HashSet<ResourceKey>();
            foreach (var obj in items)
            {
                var key = ResourceKey.Of(obj);
                seen.Add(key);
                var old = Upsert(obj);
                if (old is null || old.Metadata.ResourceVersion != obj.Metadata.ResourceVersion) changes.Add(new(old, obj));
            }

            foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                changes.Add(new(Remove(key), null));
            }

            return changes;
        }
    }

    private void Index(ResourceKey key, T obj)
    {
        foreach (var (name, indexer) in _indexers)
        {
            foreach (var value in indexer(obj))
            {
                var byValue = _indexes[name];
                if (!byValue.TryGetValue(value, out var keys)) byValue[value] = keys = [];
                keys.Add(key);
            }
        }
    }

    private void Unindex(ResourceKey key, T obj)
    {
        foreach (var (name, indexer) in _indexers)
        {
            foreach (var value in indexer(obj))
            {
                var byValue = _indexes[name];
                if (byValue.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0) byValue.Remove(value);
            }
        }
    }
}

/// <summary>A change to the cache: Old null means added, New null means deleted, both set means updated.</summary>
public readonly record struct CacheChange<T>(T? Old, T? New) where T : class;
