using System.Globalization;
using System.Text.Json.Nodes;
using WgIsolate.KubeApiDouble.Schema;

namespace WgIsolate.KubeApiDouble.Storage;

/// <summary>
/// Every object of every kind, one global resourceVersion counter (like etcd's revision), and the history of changes
/// that watches replay from. One lock serialises all commits, so resourceVersions are strictly increasing and every
/// watch sees events in that order. The lock guards only the commit: a write reads the current version, does the
/// costly part (copying, patching, schema validation, comparing) on its own copy outside the lock, and commits only
/// if the object is still at the version it read, else starts over, as the real server's guaranteed update does
/// against etcd. So a megabyte-sized write does not stall every other request behind it.
/// </summary>
public sealed partial class ObjectStore(TimeProvider clock, int historyLimit)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _objects = [];

    private long _resourceVersion;

    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public StoredObject Get(ResourceKind kind, string? ns, string name)
    {
        StoredObject? stored;
        lock (_gate)
        {
            stored = Find(kind, ns, name);
        }
        return stored ?? throw ApiError.NotFound(kind, name);
    }

    /// <summary>
    /// Lists the current state, except with resourceVersionMatch=Exact: then the state as of that resourceVersion,
    /// rebuilt from the history (410 Gone once compacted). A plain resourceVersion means "not older than", which the
    /// current state always satisfies, as the real server's watch cache answers it.
    /// </summary>
    public (IReadOnlyList<JsonObject> Items, long ResourceVersion) List(
        ResourceKind kind, string? ns, LabelSelector labels, FieldSelector fields, long? exactResourceVersion)
    {
        List<StoredObject> matching;
        long rv;
        lock (_gate)
        {
            (var objects, rv) = exactResourceVersion is { } exact ? SnapshotAt(kind, exact) : (Bucket(kind).Values, _resourceVersion);
            var selection = new Selection(ns, labels, fields);
            matching = objects.Where(o => selection.Matches(o.Tree)).ToList();
        }
        return (matching.Select(o => WithApiVersion(o.Copy(), kind)).ToList(), rv);
    }

    public StoredObject Create(ResourceKind kind, string? ns, JsonObject body)
    {
        var obj = body.DeepClone().AsObject();
        var metadata = Metadata(obj);
        CheckNamespace(kind, ns, metadata);
        var name = (string?)metadata["name"];
        if (string.IsNullOrEmpty(name))
        {
            var prefix = (string?)metadata["generateName"];
            if (string.IsNullOrEmpty(prefix))
            {
                throw ApiError.Invalid(kind, "", [new("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
            }
            name = prefix + Guid.NewGuid().ToString("N")[..5];
            metadata["name"] = name;
        }
        WithApiVersion(obj, kind);
        foreach (var serverOwned in new[] { "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            metadata.Remove(serverOwned);
        }
        if (kind.ResetsStatusOnCreate)
        {
            obj.Remove("status");
        }
        Validate(kind, name, obj);
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp();
        if (kind.TracksGeneration)
        {
            metadata["generation"] = 1L;
        }
        StoredObject stored;
        lock (_gate)
        {
            var bucket = Bucket(kind);
            if (bucket.ContainsKey(Key(ns, name)))
            {
                throw ApiError.AlreadyExists(kind, name);
            }
            stored = Commit(metadata, obj);
            bucket[Key(ns, name)] = stored;
            Record(kind, "ADDED", stored, null);
        }
        return stored;
    }

    /// <summary>PUT of the main resource (<paramref name="statusOnly"/> false) or of its status subresource.</summary>
    public StoredObject Update(ResourceKind kind, string? ns, string name, JsonObject body, bool statusOnly) =>
        Mutate(kind, ns, name, _ => body.DeepClone().AsObject(), statusOnly, unconditionalAllowed: !kind.RequiresResourceVersionOnUpdate);

    /// <summary>PATCH: the patch applies to the version just read and is applied again if another write commits
    /// first, so it never conflicts unless the patch itself carries a stale metadata.resourceVersion.</summary>
    /// <param name="patch">Gets a private copy of the stored object, which it may change in place.</param>
    public StoredObject Patch(ResourceKind kind, string? ns, string name, Func<JsonObject, JsonObject> patch, bool statusOnly) =>
        Mutate(kind, ns, name, patch, statusOnly, unconditionalAllowed: true);

    public StoredObject Delete(ResourceKind kind, string? ns, string name, JsonObject? options)
    {
        StoredObject result;
        lock (_gate)
        {
            result = DeleteLocked(kind, ns, name, options);
        }
        return result;
    }

    // Caller holds the lock. Deletion is rare and its objects small, so it is done whole under the lock.
    private StoredObject DeleteLocked(ResourceKind kind, string? ns, string name, JsonObject? options)
    {
        var stored = Find(kind, ns, name) ?? throw ApiError.NotFound(kind, name);
        var old = stored.Tree;
        var preconditions = options?["preconditions"];
        if ((string?)preconditions?["uid"] is { } uid && uid != (string?)old["metadata"]!["uid"])
        {
            throw ApiError.Conflict(kind, name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {old["metadata"]!["uid"]}");
        }
        if ((string?)preconditions?["resourceVersion"] is { } rv && rv != (string?)old["metadata"]!["resourceVersion"])
        {
            throw ApiError.Conflict(kind, name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {old["metadata"]!["resourceVersion"]}");
        }
        var finalizers = old["metadata"]!["finalizers"] as JsonArray;
        if (finalizers is { Count: > 0 })
        {
            if (old["metadata"]!["deletionTimestamp"] is not null)
            {
                return stored;
            }
            // Finalizers hold the object: deletion only marks it; removing the last finalizer completes it.
            var marked = stored.Copy();
            marked["metadata"]!["deletionTimestamp"] = Timestamp();
            marked["metadata"]!["deletionGracePeriodSeconds"] = 0L;
            return StoreLocked(kind, ns, name, stored, marked);
        }
        var gone = stored.Copy();
        var deleted = Commit(Metadata(gone), gone);
        Bucket(kind).Remove(Key(ns, name));
        Record(kind, "DELETED", deleted, stored);
        return deleted;
    }

    // `change` gets a private copy of the stored object and returns the object to store (its argument, changed, or a
    // new one it owns): nothing after it copies the result again.
    private StoredObject Mutate(ResourceKind kind, string? ns, string name, Func<JsonObject, JsonObject> change,
        bool statusOnly, bool unconditionalAllowed)
    {
        while (true)
        {
            StoredObject? stored;
            lock (_gate)
            {
                stored = Find(kind, ns, name);
            }
            if (stored is null)
            {
                throw ApiError.NotFound(kind, name);
            }
            var old = stored.Copy();
            var incoming = change(stored.Copy());
            var metadata = Metadata(incoming);
            if ((string?)metadata["name"] is { } bodyName && bodyName != name)
            {
                throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }
            CheckNamespace(kind, ns, metadata);
            var requestedVersion = (string?)metadata["resourceVersion"];
            if (string.IsNullOrEmpty(requestedVersion) && !unconditionalAllowed)
            {
                throw ApiError.Invalid(kind, name, [new("metadata.resourceVersion", "FieldValueInvalid",
                    "Invalid value: 0x0: must be specified for an update")]);
            }
            if (!string.IsNullOrEmpty(requestedVersion) && requestedVersion != (string?)old["metadata"]!["resourceVersion"])
            {
                throw ApiError.Conflict(kind, name, "the object has been modified; please apply your changes to the latest version and try again");
            }
            var next = statusOnly ? OnlyStatusOf(old, incoming) : KeepServerFields(kind, old, incoming);
            WithApiVersion(next, kind);
            CheckFinalizersNotAddedDuringDeletion(kind, name, old, next);
            Validate(kind, name, next);
            var contentChanged = ContentChanged(old, next);
            if (kind.TracksGeneration && contentChanged)
            {
                next["metadata"]!["generation"] = (old["metadata"]!["generation"]?.GetValue<long>() ?? 0) + 1;
            }
            next["metadata"]!["resourceVersion"] = old["metadata"]!["resourceVersion"]!.DeepClone();
            // A write that changes nothing is not a write: no new resourceVersion, no event.
            var unchanged = !contentChanged && SameField(old, next, "metadata") && SameField(old, next, "status");
            lock (_gate)
            {
                if (!ReferenceEquals(Find(kind, ns, name), stored))
                {
                    // Written (or deleted) by someone else meanwhile: apply the change again to what is there now.
                    continue;
                }
                return unchanged ? stored : StoreLocked(kind, ns, name, stored, next);
            }
        }
    }

    // Caller holds the lock and has checked that `old` is still the stored version.
    private StoredObject StoreLocked(ResourceKind kind, string? ns, string name, StoredObject old, JsonObject next)
    {
        var stored = Commit(Metadata(next), next);
        var finalizers = next["metadata"]!["finalizers"] as JsonArray;
        if (next["metadata"]!["deletionTimestamp"] is not null && finalizers is null or { Count: 0 })
        {
            Bucket(kind).Remove(Key(ns, name));
            Record(kind, "DELETED", stored, old);
        }
        else
        {
            Bucket(kind)[Key(ns, name)] = stored;
            Record(kind, "MODIFIED", stored, old);
        }
        return stored;
    }

    // Caller holds the lock: the next resourceVersion, then the JSON everyone will read, serialised once.
    private StoredObject Commit(JsonObject metadata, JsonObject obj)
    {
        metadata["resourceVersion"] = Next();
        return new StoredObject(obj, _resourceVersion);
    }

    private static JsonObject OnlyStatusOf(JsonObject old, JsonObject incoming)
    {
        var next = old.DeepClone().AsObject();
        next.Remove("status");
        if (incoming["status"] is { } status)
        {
            next["status"] = status.DeepClone();
        }
        return next;
    }

    // Changes `incoming`, which the write owns, in place.
    private static JsonObject KeepServerFields(ResourceKind kind, JsonObject old, JsonObject incoming)
    {
        var next = incoming;
        var metadata = Metadata(next);
        foreach (var serverOwned in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace" })
        {
            metadata.Remove(serverOwned);
            if (old["metadata"]![serverOwned] is { } kept)
            {
                metadata[serverOwned] = kept.DeepClone();
            }
        }
        if (kind.HasStatusSubresource)
        {
            // The main resource ignores status; the status subresource ignores everything else.
            next.Remove("status");
            if (old["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
        }
        return next;
    }

    private static void CheckFinalizersNotAddedDuringDeletion(ResourceKind kind, string name, JsonObject old, JsonObject next)
    {
        if (old["metadata"]!["deletionTimestamp"] is null)
        {
            return;
        }
        var before = (old["metadata"]!["finalizers"] as JsonArray)?.Select(f => (string?)f).ToHashSet() ?? [];
        var added = (next["metadata"]!["finalizers"] as JsonArray)?.Select(f => (string?)f).Where(f => !before.Contains(f)).ToList() ?? [];
        if (added.Count > 0)
        {
            throw ApiError.Invalid(kind, name, [new("metadata.finalizers", "FieldValueForbidden",
                $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [{string.Join(" ", added)}]")]);
        }
    }

    private static void Validate(ResourceKind kind, string name, JsonObject obj)
    {
        if (kind.Schema is null)
        {
            return;
        }
        var causes = StructuralSchema.PruneDefaultAndValidate(obj, kind.Schema);
        if (causes.Count > 0)
        {
            throw ApiError.Invalid(kind, name, causes);
        }
    }

    private static void CheckNamespace(ResourceKind kind, string? ns, JsonObject metadata)
    {
        if (!kind.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }
        if (ns is null)
        {
            throw ApiError.BadRequest($"{kind.QualifiedResource} is namespaced: the request needs a namespace");
        }
        if ((string?)metadata["namespace"] is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
        {
            throw ApiError.BadRequest($"the namespace of the provided object ({bodyNamespace}) does not match the namespace sent on the request ({ns})");
        }
        metadata["namespace"] = ns;
    }

    private static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    private static JsonObject WithApiVersion(JsonObject obj, ResourceKind kind)
    {
        obj["apiVersion"] = kind.ApiVersion;
        obj["kind"] = kind.Kind;
        return obj;
    }

    /// <summary>Whether anything but metadata and status differs: what bumps metadata.generation.</summary>
    private static bool ContentChanged(JsonObject old, JsonObject next) =>
        old.Select(p => p.Key).Union(next.Select(p => p.Key)).Where(k => k is not ("metadata" or "status")).Any(k => !SameField(old, next, k));

    private static bool SameField(JsonObject old, JsonObject next, string name) =>
        old.ContainsKey(name) == next.ContainsKey(name) && JsonNode.DeepEquals(old[name], next[name]);

    private StoredObject? Find(ResourceKind kind, string? ns, string name) =>
        Bucket(kind).GetValueOrDefault(Key(ns, name));

    private SortedDictionary<string, StoredObject> Bucket(ResourceKind kind)
    {
        var key = StorageKey(kind);
        if (!_objects.TryGetValue(key, out var bucket))
        {
            bucket = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _objects[key] = bucket;
        }
        return bucket;
    }

    // Versions of one resource share storage, as they share etcd keys on the real server.
    private static string StorageKey(ResourceKind kind) => $"{kind.Group}/{kind.Plural}";

    private static string Key(string? ns, string name) => $"{ns}/{name}";

    private string Next() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private string Timestamp() =>
        clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
