using System.Net;
using System.Net.Sockets;
using System.Text;
using WgIsolate.Datapath.Ingress;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests.Ingress;

public class TcpIngressTests : IngressTest
{
    [PrivilegedFact]
    public async Task Forward_LineSentWithNcToTheHostPort_ReachesTheServerInsideAndItsAnswerComesBack()
    {
        var server = EchoOnceInside();
        Start(IngressTransport.Tcp);

        var nc = Ip.TryRun("sh", $"-c \"echo 'test from outside' | nc -N -w 5 ::1 {HostPort}\"");

        Assert.Equal("test from outside\n", await server.WaitAsync(Timeout));
        Assert.True(nc.ExitCode == 0, nc.Error);
        Assert.Equal("echo: test from outside\n", nc.Output);
    }

    [PrivilegedFact]
    public async Task Forward_IPv4Client_IsAcceptedByTheDualStackListener()
    {
        var server = EchoOnceInside();
        Start(IngressTransport.Tcp);

        var nc = Ip.TryRun("sh", $"-c \"echo v4 | nc -N -w 5 127.0.0.1 {HostPort}\"");

        Assert.Equal("v4\n", await server.WaitAsync(Timeout));
        Assert.Equal("echo: v4\n", nc.Output);
    }

    [PrivilegedFact]
    public async Task Forward_ClientHalfCloses_ServerSeesEndOfStreamAndTheAnswerStillArrives()
    {
        var server = EchoOnceInside();
        var forwarder = Start(IngressTransport.Tcp);
        using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, HostPort), Timeout);

        await client.SendAsync(Encoding.UTF8.GetBytes("part one, "), Timeout);
        await client.SendAsync(Encoding.UTF8.GetBytes("part two"), Timeout);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("part one, part two", await server.WaitAsync(Timeout));
        Assert.Equal("echo: part one, part two", await ReadToEndAsync(client));
        Assert.Equal(1, forwarder.Statistics.Forwarded);
    }

    [PrivilegedFact]
    public async Task Forward_ManyConcurrentConnections_EachGetsItsOwnAnswer()
    {
        var listener = ServeInside(SocketType.Stream, ProtocolType.Tcp);
        var server = Task.Run(async () =>
        {
            var handlers = new List<Task>();
            for (var i = 0; i < 20; i++)
            {
                var connection = await listener.AcceptAsync(Timeout);
                handlers.Add(Task.Run(async () =>
                {
                    using (connection)
                    {
                        var request = await ReadToEndAsync(connection);
                        await connection.SendAsync(Encoding.UTF8.GetBytes(request.ToUpperInvariant()), Timeout);
                    }
                }));
            }

            await Task.WhenAll(handlers);
        });
        Start(IngressTransport.Tcp);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, HostPort), Timeout);
            await client.SendAsync(Encoding.UTF8.GetBytes($"client {i}"), Timeout);
            client.Shutdown(SocketShutdown.Send);
            return await ReadToEndAsync(client);
        }));
        await server.WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"CLIENT {i}"), answers);
    }

    [PrivilegedFact]
    public async Task Forward_NothingListensInside_ClientIsResetAndTheFailureCounted()
    {
        var problems = new List<string>();
        var forwarder = Start(IngressTransport.Tcp, new IngressOptions { Log = line => { lock (problems) { problems.Add(line); } } });
        using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);

        // The kernel completes the handshake before the forwarder accepts, so its reset can arrive
        // while ConnectAsync is still collecting the result: the reset may surface there or on the read.
        var error = await Record.ExceptionAsync(async () =>
        {
            await client.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, HostPort), Timeout);
            await ReadToEndAsync(client);
        });

        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(error).SocketErrorCode);
        Assert.Equal(1, forwarder.Statistics.Failed);
        Assert.Contains("ConnectionRefused", forwarder.Statistics.LastFailure);
        Assert.Single(problems);
    }

    [PrivilegedFact]
    public async Task Forward_ServerResetsTheConnection_ClientIsResetToo()
    {
        var listener = ServeInside(SocketType.Stream, ProtocolType.Tcp);
        Start(IngressTransport.Tcp);
        using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, HostPort), Timeout);
        using (var accepted = await listener.AcceptAsync(Timeout))
        {
            accepted.LingerState = new LingerOption(true, 0);
        }

        var error = await Record.ExceptionAsync(async () => await ReadToEndAsync(client));

        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(error).SocketErrorCode);
    }

    [PrivilegedFact]
    public void Start_HostPortTakenByAnotherProgram_FailsNamingAppPortAndErrno()
    {
        using var squatter = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.IPv6Any, HostPort));
        squatter.Listen();

        var error = Assert.Throws<IngressException>(() => Start(IngressTransport.Tcp));

        Assert.Equal($"ingress demo/receiver: host port {HostPort}/tcp is already in use (EADDRINUSE)", error.Message);
    }

    [PrivilegedFact]
    public void Start_SecondForwarderOnTheSamePort_FailsInsteadOfSharingIt()
    {
        Start(IngressTransport.Tcp);

        var error = Assert.Throws<IngressException>(() => IngressForwarder.Start(Rule(IngressTransport.Tcp, "demo/other")));

        Assert.Equal($"ingress demo/other: host port {HostPort}/tcp is already in use (EADDRINUSE)", error.Message);
    }

    [PrivilegedFact]
    public void Start_NamespaceMissing_FailsNamingIt()
    {
        var rule = new IngressRule("demo/ghost", UniqueName("g"), IngressTransport.Tcp, HostPort, AppPort);

        var error = Assert.Throws<IngressException>(() => IngressForwarder.Start(rule));

        Assert.Equal($"ingress demo/ghost: network namespace /run/netns/{rule.Netns} does not exist", error.Message);
        Assert.True(IsFree(HostPort, SocketType.Stream, ProtocolType.Tcp));
    }

    [PrivilegedFact]
    public async Task Dispose_ReleasesTheHostPortAndEndsOpenConnections()
    {
        var listener = ServeInside(SocketType.Stream, ProtocolType.Tcp);
        var forwarder = IngressForwarder.Start(Rule(IngressTransport.Tcp));
        using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, HostPort), Timeout);
        using var accepted = await listener.AcceptAsync(Timeout);

        forwarder.Dispose();

        Assert.NotNull(await Record.ExceptionAsync(async () => await ReadToEndAsync(client)));
        Assert.NotNull(await Record.ExceptionAsync(async () => await ReadToEndAsync(accepted)));
        Assert.True(IsFree(HostPort, SocketType.Stream, ProtocolType.Tcp));
    }
}
