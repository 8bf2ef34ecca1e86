using System.Net;
using System.Net.Sockets;
using WgIsolate.Datapath.Ingress;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests.Ingress;

/// <summary>
/// An app namespace with only `lo` (up), a random free host port and a random app port, and servers the test runs
/// inside the namespace on [::1]. Everything the test starts is disposed even when it fails.
/// </summary>
public abstract class IngressTest : KernelTest
{
    protected IngressTest()
    {
        Netns = CreateNamespace("i");
        using var netns = NamedNetworkNamespaces.Open(Netns);
        using var inside = RouteNetlink.OpenIn(netns);
        inside.Links.EnsureUp("lo");
        HostPort = FreeHostPort();
        AppPort = Random.Shared.Next(20000, 30000);
    }

    protected string Netns { get; }

    protected int HostPort { get; }

    protected int AppPort { get; }

    /// <summary>Fails the test instead of hanging it when traffic does not arrive.</summary>
    protected CancellationToken Timeout { get; } = new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;

    protected IngressRule Rule(IngressTransport transport, string owner = "demo/receiver") =>
        new(owner, Netns, transport, HostPort, AppPort);

    protected IngressForwarder Start(IngressTransport transport, IngressOptions? options = null) =>
        Track(IngressForwarder.Start(Rule(transport), options));

    /// <summary>A socket bound to [::1]:AppPort inside the app namespace, listening when it is a stream socket.</summary>
    protected Socket ServeInside(SocketType type, ProtocolType protocol)
    {
        var socket = Track(NamespaceSockets.Open(Netns, AddressFamily.InterNetworkV6, type, protocol));
        socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, AppPort));
        if (type == SocketType.Stream)
        {
            socket.Listen();
        }

        return socket;
    }

    /// <summary>A TCP server inside: reads each connection to its end, then answers "echo: " + request and closes.</summary>
    protected Task<string> EchoOnceInside()
    {
        var listener = ServeInside(SocketType.Stream, ProtocolType.Tcp);
        return Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync(Timeout);
            var request = await ReadToEndAsync(connection);
            await connection.SendAsync(System.Text.Encoding.UTF8.GetBytes("echo: " + request), Timeout);
            return request;
        });
    }

    protected async Task<string> ReadToEndAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int count;
        while ((count = await socket.ReceiveAsync(buffer, Timeout)) > 0)
        {
            received.Write(buffer, 0, count);
        }

        return System.Text.Encoding.UTF8.GetString(received.ToArray());
    }

    protected static bool IsFree(int port, SocketType type, ProtocolType protocol)
    {
        using var probe = new Socket(AddressFamily.InterNetworkV6, type, protocol) { DualMode = true };
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    private static int FreeHostPort()
    {
        while (true)
        {
            var port = Random.Shared.Next(40000, 60000);
            if (IsFree(port, SocketType.Stream, ProtocolType.Tcp) && IsFree(port, SocketType.Dgram, ProtocolType.Udp))
            {
                return port;
            }
        }
    }
}
