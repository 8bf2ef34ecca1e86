using System.Runtime.InteropServices;
using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink;

/// <summary>
/// One netlink socket: stamps monotonic sequence numbers, keeps one request outstanding (a lock), reads replies
/// until the ACK or NLMSG_DONE, drops messages that are not answers to it, and turns kernel errors into
/// <see cref="NetlinkException"/>. Safe to use from any thread; the netns is the one it was opened in.
/// </summary>
public sealed class NetlinkSocket : IDisposable
{
    /// <summary>A dump that keeps being interrupted by concurrent changes is given up after this many tries.</summary>
    public const int DumpAttempts = 5;

    private readonly INetlinkTransport transport;
    private readonly Lock gate = new();
    private uint sequence;
    private bool disposed;

    public NetlinkSocket(INetlinkTransport transport, NetlinkProtocol protocol)
    {
        this.transport = transport;
        Protocol = protocol;
        // Start away from 0: the kernel uses seq 0 for notifications.
        sequence = (uint)Random.Shared.Next(1, int.MaxValue);
    }

    public NetlinkProtocol Protocol { get; }

    public uint PortId => transport.PortId;

    /// <summary>Opens a socket in the calling thread's netns.</summary>
    public static NetlinkSocket Open(NetlinkProtocol protocol) => new(SocketTransport.Open(protocol), protocol);

    /// <summary>
    /// A socket inside <paramref name="netns"/>: a netlink socket belongs forever to the namespace of the thread that
    /// created it, so it is created once on a switched thread and then used from any thread (reference §2.9.1).
    /// </summary>
    public static NetlinkSocket OpenIn(NetnsHandle netns, NetlinkProtocol protocol) =>
        new(NetnsThread.Run(netns, () => SocketTransport.Open(protocol)), protocol);

    /// <summary>
    /// Sends a non-dump request and waits for its ACK (the socket always sets NLM_F_ACK so every request has exactly
    /// one terminal message). Returns the data messages that came before the ACK, e.g. the RTM_NEWLINK answering a
    /// GETLINK by name.
    /// </summary>
    public IReadOnlyList<NetlinkMessage> Request(ReadOnlySpan<byte> message, string operation)
    {
        var request = Prepare(message, MessageFlags.Ack);
        lock (gate)
        {
            var seq = Send(request);
            return Collect(seq, operation, isDump: false, out _);
        }
    }

    /// <summary>
    /// Sends a dump request (NLM_F_DUMP must be set) and returns every data message up to NLMSG_DONE. A dump marked
    /// NLM_F_DUMP_INTR (the set changed meanwhile) is repeated, at most <see cref="DumpAttempts"/> times.
    /// </summary>
    public IReadOnlyList<NetlinkMessage> Dump(ReadOnlySpan<byte> message, string operation)
    {
        var request = Prepare(message, MessageFlags.None);
        if ((MemoryMarshal.Read<NetlinkHeader>(request).Flags & MessageFlags.Dump) != MessageFlags.Dump)
        {
            throw new ArgumentException($"{operation}: a dump request needs NLM_F_DUMP", nameof(message));
        }

        lock (gate)
        {
            for (var attempt = 1; ; attempt++)
            {
                var seq = Send(request);
                var messages = Collect(seq, operation, isDump: true, out var interrupted);
                if (!interrupted)
                {
                    return messages;
                }

                if (attempt == DumpAttempts)
                {
                    throw new NetlinkException(Errno.EINTR, $"{operation}: dump interrupted {DumpAttempts} times by concurrent changes", ExtendedAck.None);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                transport.Dispose();
            }
        }
    }

    private static byte[] Prepare(ReadOnlySpan<byte> message, MessageFlags extraFlags)
    {
        var header = NetlinkHeader.Read(message);
        if (header.Length != message.Length)
        {
            throw new ArgumentException($"nlmsg_len {header.Length} does not match the {message.Length}-byte message", nameof(message));
        }

        var request = message.ToArray();
        (header with { Flags = header.Flags | extraFlags, PortId = 0 }).Write(request);
        return request;
    }

    private uint Send(byte[] request)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var seq = ++sequence;
        if (seq == 0)
        {
            seq = ++sequence;
        }

        var header = NetlinkHeader.Read(request);
        (header with { Sequence = seq }).Write(request);
        transport.Send(request);
        return seq;
    }

    private List<NetlinkMessage> Collect(uint seq, string operation, bool isDump, out bool interrupted)
    {
        var replies = new List<NetlinkMessage>();
        interrupted = false;
        while (true)
        {
            foreach (var message in Datagram.Split(transport.Receive()))
            {
                // Stale answers (an earlier request that timed out on our side) and notifications are not ours.
                if (message.Header.Sequence != seq || message.Header.PortId != transport.PortId)
                {
                    continue;
                }

                interrupted |= (message.Header.Flags & MessageFlags.DumpInterrupted) != 0;
                switch (message.Header.Type)
                {
                    case MessageType.Noop:
                        continue;
                    case MessageType.Overrun:
                        throw new NetlinkException(Errno.ENOBUFS, $"{operation}: receive buffer overrun", ExtendedAck.None);
                    case MessageType.Error:
                        var error = ErrorMessage.ParseError(message);
                        if (!error.IsAck)
                        {
                            throw new NetlinkException(error.Errno, operation, error.ExtendedAck);
                        }

                        if (!isDump)
                        {
                            return replies;
                        }

                        continue;
                    case MessageType.Done:
                        var done = ErrorMessage.ParseDone(message);
                        if (!done.IsAck)
                        {
                            throw new NetlinkException(done.Errno, operation, done.ExtendedAck);
                        }

                        return replies;
                    default:
                        replies.Add(message);
                        break;
                }
            }
        }
    }
}
