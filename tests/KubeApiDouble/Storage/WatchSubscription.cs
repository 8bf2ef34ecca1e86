using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace WgIsolate.KubeApiDouble.Storage;

/// <summary>One watch event on the wire: ADDED, MODIFIED, DELETED or BOOKMARK and the object it carries, as JSON.</summary>
public sealed record WatchFrame(string Type, string ObjectJson);

/// <summary>An open watch: the store writes matching events into it in resourceVersion order; the HTTP layer drains
/// it. Completing the channel ends the watch (a restart of the double, or disposal).</summary>
public sealed class WatchSubscription(ResourceKind kind, Selection selection, Action<WatchSubscription> onDispose) : IDisposable
{
    private readonly Channel<WatchFrame> _frames = Channel.CreateUnbounded<WatchFrame>(
        new UnboundedChannelOptions { SingleReader = true });

    public ResourceKind Kind { get; } = kind;

    public ChannelReader<WatchFrame> Frames => _frames.Reader;

    internal bool Matches(JsonObject obj) => selection.Matches(obj);

    /// <summary>Translates a change into what this watch sees: an object entering the selection is ADDED, one leaving
    /// it is DELETED, as the real server's watch cache does.</summary>
    internal void Offer(StoredEvent change, string json)
    {
        var now = Matches(change.Object.Tree);
        var before = change.Previous is not null && Matches(change.Previous.Tree);
        var type = (change.Type, before, now) switch
        {
            ("MODIFIED", true, true) => "MODIFIED",
            ("MODIFIED", false, true) => "ADDED",
            ("MODIFIED", true, false) => "DELETED",
            ("ADDED", _, true) => "ADDED",
            ("DELETED", _, true) => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            Write(type, json);
        }
    }

    internal void Write(string type, string json) => _frames.Writer.TryWrite(new WatchFrame(type, json));

    internal void Write(string type, JsonObject obj) => Write(type, obj.ToJsonString());

    internal void Close() => _frames.Writer.TryComplete();

    public void Dispose()
    {
        Close();
        onDispose(this);
    }
}

/// <summary>A change kept in the history so a watch can resume from any resourceVersion after the compaction point.</summary>
public sealed record StoredEvent(long ResourceVersion, string StorageKey, string Type, StoredObject Object, StoredObject? Previous);
