using System.Net;
using System.Net.Sockets;

namespace WgIsolate.Datapath.Ingress;

/// <summary>The host side of a forwarder: [::]:port with IPV6_V6ONLY off, so IPv4 clients arrive as ::ffff:a.b.c.d.</summary>
internal static class HostPortSocket
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int ListenBacklog = 511;

    public static Socket Open(IngressRule rule)
    {
        var socket = rule.Transport == IngressTransport.Tcp
            ? new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.DualMode = true;
            if (rule.Transport == IngressTransport.Tcp)
            {
                // Plain SO_REUSEADDR, so a restarted forwarder rebinds while old connections sit in TIME_WAIT. Not
                // through SocketOptionName.ReuseAddress: on Linux .NET adds SO_REUSEPORT to it, and then a second
                // listener on the same port would be accepted instead of failing with EADDRINUSE.
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }

            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, rule.HostPort));
            if (rule.Transport == IngressTransport.Tcp)
            {
                socket.Listen(ListenBacklog);
            }

            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IngressException(rule, $"host port {rule.HostPort}/{rule.TransportName} {Describe(e)}");
        }
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "is already in use (EADDRINUSE)",
        SocketError.AccessDenied => "may not be opened (EACCES)",
        _ => $"could not be opened: {e.Message} ({e.SocketErrorCode})",
    };
}
