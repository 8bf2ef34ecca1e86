namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Per node, the digests (<see cref="NodeSpecDigest"/>) of the IsolatedNode specs the mesh reconciler wrote whose watch
/// events have not come back yet, oldest first. The event routing asks it whether a changed spec is the operator's own
/// write coming back, which needs nothing, or someone else's (an operator that died with writes in flight, a hand
/// edit), which the mesh writes its plan over.
/// </summary>
public sealed class NodeSpecWrites
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<string>> _pending = new(StringComparer.Ordinal);

    public void Sent(string node, string digest)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(node, out var sent)) _pending[node] = sent = [];
            sent.Add(digest);
        }
    }

    /// <summary>Whether the last spec written to the node has this digest and has not come back yet.</summary>
    public bool LastSent(string node, string digest)
    {
        lock (_lock) return _pending.TryGetValue(node, out var sent) && sent.Count > 0 && sent[^1] == digest;
    }

    /// <summary>True when a spec with this digest was written and not yet seen: it is coming back now, and the ones
    /// written before it have passed (watch events arrive in order), so all of them are forgotten.</summary>
    public bool ComesBack(string node, string digest)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(node, out var sent)) return false;
            var at = sent.IndexOf(digest);
            if (at < 0) return false;
            sent.RemoveRange(0, at + 1);
            if (sent.Count == 0) _pending.Remove(node);
            return true;
        }
    }

    /// <summary>The node is compared with the cache alone from now on; an event for a write still in flight then
    /// counts as someone else's, which costs a comparison, never a lost change.</summary>
    public void Forget(string node)
    {
        lock (_lock) _pending.Remove(node);
    }

    public void Clear()
    {
        lock (_lock) _pending.Clear();
    }
}
