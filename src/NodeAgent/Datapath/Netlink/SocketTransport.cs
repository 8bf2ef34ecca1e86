using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Netlink;

/// <summary>A real AF_NETLINK socket, set up as iproute2 does it.</summary>
public sealed class SocketTransport : INetlinkTransport
{
    private const int SendBuffer = 32 * 1024;
    private const int ReceiveBuffer = 1024 * 1024;

    /// <summary>The kernel answers in microseconds to milliseconds; a socket silent this long is a request lost for
    /// good, which must fail the operation rather than hang the agent.</summary>
    public static readonly TimeSpan DefaultReceiveTimeout = TimeSpan.FromSeconds(30);

    private readonly FileDescriptorHandle socket;
    private readonly TimeSpan receiveTimeout;

    private SocketTransport(FileDescriptorHandle socket, uint portId, TimeSpan receiveTimeout)
    {
        this.socket = socket;
        this.receiveTimeout = receiveTimeout;
        PortId = portId;
    }

    public uint PortId { get; }

    /// <summary>Opens a socket in the calling thread's network namespace, where it then stays for good.</summary>
    public static SocketTransport Open(NetlinkProtocol protocol, TimeSpan? receiveTimeout = null)
    {
        var timeout = receiveTimeout ?? DefaultReceiveTimeout;
        var socket = NetlinkSockets.Open((int)protocol);
        try
        {
            NetlinkSockets.SetBuffers(socket, SendBuffer, ReceiveBuffer);
            NetlinkSockets.SetReceiveTimeout(socket, timeout);
            // Extended acks give the kernel's reason ("Unknown device type") instead of a bare errno.
            NetlinkSockets.SetOption(socket, NetlinkSockets.SOL_NETLINK, NetlinkSockets.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            var portId = NetlinkSockets.BindAndGetPortId(socket);
            // Strict checking makes dump filters (ifindex, family) real filters instead of hints.
            NetlinkSockets.SetOption(socket, NetlinkSockets.SOL_NETLINK, NetlinkSockets.NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK");
            return new SocketTransport(socket, portId, timeout);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> message) => NetlinkSockets.SendToKernel(socket, message);

    public byte[] Receive()
    {
        try
        {
            return NetlinkSockets.ReceiveDatagram(socket);
        }
        catch (ErrnoException e) when (e.Errno == Errno.EAGAIN)
        {
            throw new ErrnoException(Errno.EAGAIN, $"recv(netlink): no answer from the kernel within {receiveTimeout.TotalSeconds:0.###} s");
        }
    }

    public void Dispose() => socket.Dispose();
}
