using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Netlink;

/// <summary>A real AF_NETLINK socket, set up as iproute2 does it.</summary>
public sealed class SocketTransport : INetlinkTransport
{
    private const int SendBuffer = 32 * 1024;
    private const int ReceiveBuffer = 1024 * 1024;
    private readonly FileDescriptorHandle socket;

    private SocketTransport(FileDescriptorHandle socket, uint portId)
    {
        this.socket = socket;
        PortId = portId;
    }

    public uint PortId { get; }

    /// <summary>Opens a socket in the calling thread's network namespace, where it then stays for good.</summary>
    public static SocketTransport Open(NetlinkProtocol protocol)
    {
        var socket = NetlinkSockets.Open((int)protocol);
        try
        {
            NetlinkSockets.SetBuffers(socket, SendBuffer, ReceiveBuffer);
            // Extended acks give the kernel's reason ("Unknown device type") instead of a bare errno.
            NetlinkSockets.SetOption(socket, NetlinkSockets.SOL_NETLINK, NetlinkSockets.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            var portId = NetlinkSockets.BindAndGetPortId(socket);
            // Strict checking makes dump filters (ifindex, family) real filters instead of hints.
            NetlinkSockets.SetOption(socket, NetlinkSockets.SOL_NETLINK, NetlinkSockets.NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK");
            return new SocketTransport(socket, portId);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> message) => NetlinkSockets.SendToKernel(socket, message);

    public byte[] Receive() => NetlinkSockets.ReceiveDatagram(socket);

    public void Dispose() => socket.Dispose();
}
