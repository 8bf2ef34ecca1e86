using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Tests.Support;

/// <summary>
/// Stands in for the kernel below <see cref="NetlinkSocket"/>: records every request and answers with datagrams a
/// test scripts per request (it sees the stamped request, so replies can echo its sequence number).
/// </summary>
public sealed class FakeKernel(Func<byte[], IEnumerable<byte[]>> answer) : INetlinkTransport
{
    public const uint Port = 4242;
    private readonly Queue<byte[]> pending = new();

    public List<byte[]> Sent { get; } = [];

    public bool Disposed { get; private set; }

    public uint PortId => Port;

    public void Send(ReadOnlySpan<byte> message)
    {
        var copy = message.ToArray();
        Sent.Add(copy);
        foreach (var datagram in answer(copy))
        {
            pending.Enqueue(datagram);
        }
    }

    public byte[] Receive() =>
        pending.TryDequeue(out var datagram) ? datagram : throw new InvalidOperationException("the fake kernel has nothing more to say");

    public void Dispose() => Disposed = true;

    public static uint SequenceOf(byte[] request) => NetlinkHeader.Read(request).Sequence;

    /// <summary>One message with the given header fields and payload, replying on our port.</summary>
    public static byte[] Message(ushort type, MessageFlags flags, uint seq, ReadOnlySpan<byte> payload, uint port = Port)
    {
        var bytes = new byte[NetlinkHeader.Size + payload.Length];
        new NetlinkHeader((uint)bytes.Length, type, flags, seq, port).Write(bytes);
        payload.CopyTo(bytes.AsSpan(NetlinkHeader.Size));
        return bytes;
    }

    /// <summary>A message built with MessageWriter, stamped as the answer to <paramref name="request"/>.</summary>
    public static byte[] ReplyTo(byte[] request, byte[] message)
    {
        var reply = (byte[])message.Clone();
        var header = NetlinkHeader.Read(reply);
        (header with { Sequence = SequenceOf(request), PortId = Port }).Write(reply);
        return reply;
    }

    /// <summary>The kernel's success ACK: error 0 and the request's header echoed, CAPPED.</summary>
    public static byte[] Ack(byte[] request, uint port = Port)
    {
        var payload = new byte[4 + NetlinkHeader.Size];
        request.AsSpan(0, NetlinkHeader.Size).CopyTo(payload.AsSpan(4));
        return Message(MessageType.Error, MessageFlags.Capped, SequenceOf(request), payload, port);
    }

    /// <summary>An error echoing the whole request, with an NLMSGERR_ATTR_MSG when a message is given.</summary>
    public static byte[] Error(byte[] request, int errno, string? message = null)
    {
        var writer = new List<byte>(BitConverter.GetBytes(-errno));
        writer.AddRange(request);
        while (writer.Count % 4 != 0)
        {
            writer.Add(0);
        }

        var flags = MessageFlags.None;
        if (message is not null)
        {
            flags = MessageFlags.AckTlvs;
            var text = System.Text.Encoding.UTF8.GetBytes(message + "\0");
            writer.AddRange(BitConverter.GetBytes((ushort)(4 + text.Length)));
            writer.AddRange(BitConverter.GetBytes((ushort)1));
            writer.AddRange(text);
            while (writer.Count % 4 != 0)
            {
                writer.Add(0);
            }
        }

        return Message(MessageType.Error, flags, SequenceOf(request), writer.ToArray());
    }

    public static byte[] Done(uint seq, int errno = 0) =>
        Message(MessageType.Done, MessageFlags.Multi, seq, BitConverter.GetBytes(-errno));

    /// <summary>Several messages in one datagram, each at a 4-aligned offset.</summary>
    public static byte[] Concat(params byte[][] messages)
    {
        var datagram = new List<byte>();
        foreach (var message in messages)
        {
            datagram.AddRange(message);
            while (datagram.Count % 4 != 0)
            {
                datagram.Add(0);
            }
        }

        return [.. datagram];
    }
}
