using System.Net;
using System.Net.Sockets;
using System.Text;
using WgIsolate.Datapath.Ingress;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests.Ingress;

public class UdpIngressTests : IngressTest
{
    [PrivilegedFact]
    public async Task Forward_DatagramsFromTwoClients_EachGetsItsOwnReplies()
    {
        EchoDatagramsInside();
        var forwarder = Start(IngressTransport.Udp);
        using var first = Client(IPAddress.IPv6Loopback);
        using var second = Client(IPAddress.Loopback);

        var a1 = await RoundTrip(first, IPAddress.IPv6Loopback, "a1");
        var b1 = await RoundTrip(second, IPAddress.Loopback, "b1");
        var a2 = await RoundTrip(first, IPAddress.IPv6Loopback, "a2");

        Assert.Equal(["echo a1", "echo b1", "echo a2"], [a1, b1, a2]);
        Assert.Equal(2, forwarder.Statistics.Forwarded);
        Assert.Equal(2, forwarder.Statistics.Active);
    }

    [PrivilegedFact]
    public async Task Forward_DatagramFromNc_ReachesTheServerInside()
    {
        var server = ServeInside(SocketType.Dgram, ProtocolType.Udp);
        Start(IngressTransport.Udp);

        var nc = Ip.TryRun("sh", $"-c \"echo 'test from outside' | nc -u -w 1 ::1 {HostPort}\"");
        var buffer = new byte[100];
        var received = await server.ReceiveAsync(buffer, Timeout);

        Assert.True(nc.ExitCode == 0, nc.Error);
        Assert.Equal("test from outside\n", Encoding.UTF8.GetString(buffer, 0, received));
    }

    [PrivilegedFact]
    public async Task Forward_IdleFlow_IsClosedAfterTheTimeoutAndANewOneOpensOnTheNextDatagram()
    {
        EchoDatagramsInside();
        var forwarder = Start(IngressTransport.Udp, new IngressOptions { UdpIdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = Client(IPAddress.IPv6Loopback);
        await RoundTrip(client, IPAddress.IPv6Loopback, "one");
        Assert.Equal(1, forwarder.Statistics.Active);

        await WaitUntil(() => forwarder.Statistics.Active == 0);
        var again = await RoundTrip(client, IPAddress.IPv6Loopback, "two");

        Assert.Equal("echo two", again);
        Assert.Equal(2, forwarder.Statistics.Forwarded);
    }

    [PrivilegedFact]
    public async Task Forward_MoreClientsThanTheFlowLimit_DropsTheExtraClientsDatagrams()
    {
        EchoDatagramsInside();
        var forwarder = Start(IngressTransport.Udp, new IngressOptions { MaxUdpFlows = 1 });
        using var first = Client(IPAddress.IPv6Loopback);
        using var second = Client(IPAddress.IPv6Loopback);
        await RoundTrip(first, IPAddress.IPv6Loopback, "in");

        await second.SendToAsync(Encoding.UTF8.GetBytes("out"), new IPEndPoint(IPAddress.IPv6Loopback, HostPort), Timeout);

        await WaitUntil(() => forwarder.Statistics.Failed == 1);
        Assert.Contains("1 flows are open already", forwarder.Statistics.LastFailure);
        Assert.Equal(1, forwarder.Statistics.Forwarded);
    }

    [PrivilegedFact]
    public void Start_HostPortTaken_FailsNamingAppPortAndErrno()
    {
        using var squatter = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.IPv6Any, HostPort));

        var error = Assert.Throws<IngressException>(() => Start(IngressTransport.Udp));

        Assert.Equal($"ingress demo/receiver: host port {HostPort}/udp is already in use (EADDRINUSE)", error.Message);
    }

    [PrivilegedFact]
    public async Task Dispose_ReleasesTheHostPortAndClosesFlows()
    {
        EchoDatagramsInside();
        var forwarder = IngressForwarder.Start(Rule(IngressTransport.Udp));
        using var client = Client(IPAddress.IPv6Loopback);
        await RoundTrip(client, IPAddress.IPv6Loopback, "x");

        forwarder.Dispose();

        Assert.True(IsFree(HostPort, SocketType.Dgram, ProtocolType.Udp));
        Assert.Equal(0, forwarder.Statistics.Active);
    }

    private static Socket Client(IPAddress family)
    {
        var socket = new Socket(family.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(family.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
        return socket;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 50)
        {
            Assert.True(waited < 10_000, "condition not reached within 10 s");
            await Task.Delay(50);
        }
    }

    /// <summary>A UDP server inside that answers every datagram with "echo " + datagram, to its sender.</summary>
    private void EchoDatagramsInside()
    {
        var server = ServeInside(SocketType.Dgram, ProtocolType.Udp);
        _ = Task.Run(async () =>
        {
            var buffer = new byte[1500];
            while (!Timeout.IsCancellationRequested)
            {
                var received = await server.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.IPv6Any, 0), Timeout);
                var answer = Encoding.UTF8.GetBytes("echo " + Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes));
                await server.SendToAsync(answer, received.RemoteEndPoint, Timeout);
            }
        });
    }

    private async Task<string> RoundTrip(Socket client, IPAddress to, string text)
    {
        var hostPort = new IPEndPoint(to, HostPort);
        await client.SendToAsync(Encoding.UTF8.GetBytes(text), hostPort, Timeout);
        var buffer = new byte[1500];
        var received = await client.ReceiveFromAsync(buffer, new IPEndPoint(to.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), Timeout);
        Assert.Equal(HostPort, ((IPEndPoint)received.RemoteEndPoint).Port);
        return Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
    }
}
