using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using WgIsolate.Operator.Kube;

namespace WgIsolate.Operator.Runtime;

/// <summary>
/// Reads a watch response body: one JSON event per line, {"type":…,"object":…}. The client's own watcher reads each
/// line into a string first; an IsolatedNode event is a 0.8 MB line at the issue's scale, a 1.6 MB string and the
/// builder it grew in, all on the large object heap, for every spec and status write of every node. Here each line
/// is parsed straight from one pooled buffer that grows to the largest event and is reused for the next.
/// </summary>
public static class WatchEventReader
{
    private const int InitialBufferBytes = 64 * 1024;

    /// <summary>An event; <see cref="Error"/> is set (and <see cref="Object"/> not) for an ERROR event.</summary>
    public readonly record struct Event<T>(WatchEventType Type, T? Object, V1Status? Error);

    public static async IAsyncEnumerable<Event<T>> ReadAsync<T>(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var (start, end) = (0, 0);
        try
        {
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    var line = new ArraySegment<byte>(buffer, start, newline);
                    start += newline + 1;
                    // Parsed before the yield: the buffer is reused only once the event is objects.
                    if (!IsBlank(line)) yield return Parse<T>(line);
                    continue;
                }

                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    (start, end) = (0, end - start);
                }

                if (end == buffer.Length) buffer = Grow(buffer);
                var read = await body.ReadAsync(buffer.AsMemory(end), cancellationToken);
                if (read == 0)
                {
                    // The server ended the watch (its timeout); a last event without a newline still counts.
                    var rest = new ArraySegment<byte>(buffer, start, end - start);
                    if (!IsBlank(rest)) yield return Parse<T>(rest);
                    yield break;
                }

                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Event<T> Parse<T>(ArraySegment<byte> line)
    {
        var type = TypeOf(line);
        if (type == "ERROR")
        {
            return new Event<T>(WatchEventType.Error, default, Deserialize<Envelope<V1Status>>(line).Object);
        }

        var eventType = type switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            _ => throw new JsonException($"watch event of unknown type \"{type}\""),
        };
        var obj = Deserialize<Envelope<T>>(line).Object ?? throw new JsonException($"{type} watch event without an object");
        return new Event<T>(eventType, obj, null);
    }

    // The envelope's "type", skipping over the object unparsed: an ERROR event's object is a Status, not a T.
    private static string? TypeOf(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a watch event is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType) return reader.GetString();
            reader.Skip();
        }

        throw new JsonException("a watch event without a type");
    }

    // Straight from the pooled bytes, with the client's serializer settings.
    private static TValue Deserialize<TValue>(ReadOnlySpan<byte> line) =>
        JsonSerializer.Deserialize<TValue>(line, KubeJson.Options) ?? throw new JsonException("a watch event is null");

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \r\t"u8).IsEmpty;

    private static byte[] Grow(byte[] buffer)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.CopyTo(bigger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    // The object only: the type was read by TypeOf.
    private sealed class Envelope<TObject>
    {
        [JsonPropertyName("object")] public TObject? Object { get; set; }
    }
}
