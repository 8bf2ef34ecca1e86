using Tmds.Linux;

namespace WgIsolate.Datapath.Interop;

/// <summary>The socket calls a netlink socket needs, each checked; constants Tmds.LibC lacks live here too.</summary>
internal static unsafe class NetlinkSockets
{
    public const ushort AF_NETLINK = 16;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;
    private const int SOCK_RAW = 3;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int SOL_SOCKET = 1;
    private const int SO_SNDBUF = 7;
    private const int SO_RCVBUF = 8;
    private const int SO_RCVTIMEO = 20;
    private const int MSG_PEEK = 2;
    private const int MSG_TRUNC = 0x20;

    public static FileDescriptorHandle Open(int protocol)
    {
        var fd = Errno.Check(LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol), "socket(AF_NETLINK)");
        return new FileDescriptorHandle(fd);
    }

    public static void SetOption(FileDescriptorHandle socket, int level, int option, int value, string name)
    {
        Errno.Check(LibC.setsockopt(socket.Fd, level, option, &value, sizeof(int)), $"setsockopt({name})");
    }

    public static void SetBuffers(FileDescriptorHandle socket, int send, int receive)
    {
        SetOption(socket, SOL_SOCKET, SO_SNDBUF, send, "SO_SNDBUF");
        SetOption(socket, SOL_SOCKET, SO_RCVBUF, receive, "SO_RCVBUF");
    }

    /// <summary>After this long without a datagram, a receive fails with EAGAIN instead of waiting for ever.</summary>
    public static void SetReceiveTimeout(FileDescriptorHandle socket, TimeSpan timeout)
    {
        var value = new Timeval((long)timeout.TotalSeconds, timeout.Microseconds + timeout.Milliseconds * 1000L);
        Errno.Check(LibC.setsockopt(socket.Fd, SOL_SOCKET, SO_RCVTIMEO, &value, sizeof(Timeval)), "setsockopt(SO_RCVTIMEO)");
    }

    // struct timeval on 64-bit Linux.
    private readonly record struct Timeval(long Seconds, long Microseconds);

    public static uint BindAndGetPortId(FileDescriptorHandle socket)
    {
        var address = new SockaddrNl { Family = AF_NETLINK };
        Errno.Check(LibC.bind(socket.Fd, (sockaddr*)&address, (uint)sizeof(SockaddrNl)), "bind(AF_NETLINK)");
        socklen_t length = (uint)sizeof(SockaddrNl);
        Errno.Check(LibC.getsockname(socket.Fd, (sockaddr*)&address, &length), "getsockname(AF_NETLINK)");
        return address.PortId;
    }

    public static void SendToKernel(FileDescriptorHandle socket, ReadOnlySpan<byte> message)
    {
        var kernel = SockaddrNl.Kernel;
        fixed (byte* data = message)
        {
            var length = message.Length;
            long sent;
            do
            {
                sent = LibC.sendto(socket.Fd, data, length, 0, (sockaddr*)&kernel, (uint)sizeof(SockaddrNl));
            }
            while (Errno.Interrupted(sent));
            Errno.Check(sent, "sendto(netlink)");
            if (sent != length)
            {
                throw new ErrnoException(Errno.EMSGSIZE, $"sendto(netlink) sent {sent} of {length} bytes");
            }
        }
    }

    /// <summary>Receives one whole datagram: MSG_PEEK|MSG_TRUNC reports its real size first, so nothing is cut.</summary>
    public static byte[] ReceiveDatagram(FileDescriptorHandle socket)
    {
        byte probe = 0;
        long size;
        do
        {
            size = LibC.recv(socket.Fd, &probe, 0, MSG_PEEK | MSG_TRUNC);
        }
        while (Errno.Interrupted(size));
        Errno.Check(size, "recv(netlink, MSG_PEEK|MSG_TRUNC)");
        var datagram = new byte[size];
        fixed (byte* data = datagram)
        {
            long received;
            do
            {
                received = LibC.recv(socket.Fd, data, datagram.Length, MSG_TRUNC);
            }
            while (Errno.Interrupted(received));
            Errno.Check(received, "recv(netlink)");
            if (received != size)
            {
                throw new ErrnoException(Errno.EMSGSIZE, $"recv(netlink) got {received} bytes, peeked {size}");
            }
        }

        return datagram;
    }
}
