using System.Net;
using System.Net.Sockets;
using System.Text;
using WgIsolate.Datapath.Ingress;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests.Ingress;

/// <summary>Forwarding into a namespace must not give the app a way out, nor leave anything behind in it.</summary>
public class IngressIsolationTests : IngressTest
{
    [PrivilegedFact]
    public async Task Forwarding_AppNamespaceStillHasOnlyLoopbackAndNoRouteOut()
    {
        var server = EchoOnceInside();
        Start(IngressTransport.Tcp);
        Start(IngressTransport.Udp);
        var nc = Ip.TryRun("sh", $"-c \"echo in | nc -N -w 5 ::1 {HostPort}\"");
        await server.WaitAsync(Timeout);

        var outV6 = Ip.TryRun("ip", $"netns exec {Netns} nc -v -z -w 2 2001:db8::1 80");
        var outV4 = Ip.TryRun("ip", $"netns exec {Netns} nc -v -z -w 2 192.0.2.1 80");
        using var netns = NamedNetworkNamespaces.Open(Netns);
        using var inside = RouteNetlink.OpenIn(netns);

        Assert.Equal("echo: in\n", nc.Output);
        Assert.NotEqual(0, outV6.ExitCode);
        Assert.Contains("Network is unreachable", outV6.Error);
        Assert.NotEqual(0, outV4.ExitCode);
        Assert.Contains("Network is unreachable", outV4.Error);
        Assert.Equal(["lo"], inside.Links.List().Select(l => l.Name));
    }

    [PrivilegedFact]
    public async Task Forwarding_TheHostPortIsNotReachableFromInsideTheApp()
    {
        Start(IngressTransport.Tcp);
        using var probe = NamespaceSockets.Open(Netns, AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);

        var error = await Record.ExceptionAsync(async () => await probe.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, HostPort), Timeout));

        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(error).SocketErrorCode);
    }

    [PrivilegedFact]
    public async Task Forwarding_NamespaceRecreatedUnderTheSameName_NewConnectionsGoToTheNewOne()
    {
        Start(IngressTransport.Tcp);
        NamedNetworkNamespaces.Delete(Netns);
        NamedNetworkNamespaces.Create(Netns);
        using (var netns = NamedNetworkNamespaces.Open(Netns))
        using (var inside = RouteNetlink.OpenIn(netns))
        {
            inside.Links.EnsureUp("lo");
        }

        var server = EchoOnceInside();
        using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, HostPort), Timeout);
        await client.SendAsync(Encoding.UTF8.GetBytes("after"), Timeout);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("after", await server.WaitAsync(Timeout));
        Assert.Equal("echo: after", await ReadToEndAsync(client));
    }
}
