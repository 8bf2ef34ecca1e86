using System.Text;
using k8s;
using k8s.Models;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Tests.Runtime;

/// <summary>Watch bodies as the server streams them: events split across reads, larger than the buffer, errors.</summary>
public sealed class WatchEventReaderTests
{
    private static string Event(string type, string name, string? label = null) =>
        "{\"type\":\"" + type + "\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name +
        "\",\"resourceVersion\":\"5\",\"labels\":{\"big\":\"" + label + "\"}}}}";

    private static async Task<List<WatchEventReader.Event<V1Pod>>> ReadAllAsync(string body, int chunk)
    {
        var events = new List<WatchEventReader.Event<V1Pod>>();
        await foreach (var e in WatchEventReader.ReadAsync<V1Pod>(new TrickleStream(Encoding.UTF8.GetBytes(body), chunk), CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task EventsSplitAcrossReads_BiggerThanTheBuffer_AndALastLineWithoutNewline_AllArrive(int chunk)
    {
        var big = new string('x', 300_000);
        var body = Event("ADDED", "a") + "\n\n" + Event("MODIFIED", "b", big) + "\r\n" + Event("BOOKMARK", "c") + "\n" + Event("DELETED", "d");

        var events = await ReadAllAsync(body, chunk);

        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Modified, "b"), (WatchEventType.Bookmark, "c"), (WatchEventType.Deleted, "d")],
            events.Select(e => (e.Type, e.Object!.Metadata.Name)));
        Assert.Equal(big, events[1].Object!.Metadata.Labels["big"]);
    }

    [Fact]
    public async Task ErrorEvent_CarriesItsStatus_NotAnObject()
    {
        var body = Event("ADDED", "a") + "\n" +
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 5 (9)","reason":"Expired","code":410}}""" + "\n";

        var events = await ReadAllAsync(body, 16);

        Assert.Equal(WatchEventType.Error, events[1].Type);
        Assert.Null(events[1].Object);
        Assert.Equal((410, "Expired"), (events[1].Error!.Code, events[1].Error!.Reason));
    }

    [Fact]
    public async Task UnknownEventType_IsAnError()
    {
        await Assert.ThrowsAsync<System.Text.Json.JsonException>(() => ReadAllAsync(Event("RENAMED", "a") + "\n", 64));
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
