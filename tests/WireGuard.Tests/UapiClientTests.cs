using System.Net;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Userspace;

namespace WgIsolate.WireGuard.Tests;

public sealed class UapiClientTests
{
    private const string PeerBase64 = "Iou7JN6kg+m/i+jqZsxRDVj0Um7oT8uxbOUfgFfM8kI=";

    [Fact]
    public void Set_OneConnectionPerRequest_SendsExactTextAndAcceptsErrnoZero()
    {
        using var server = new FakeUapiServer("wgA", "errno=0\n\n", "errno=0\n\n");
        var client = new UapiClient(server.Directory);
        var config = new DeviceConfig { ListenPort = 51820 };

        client.Set("wgA", config);
        client.Set("wgA", config with { ListenPort = 51821 });
        server.WaitServed();

        Assert.Equal(["set=1\nlisten_port=51820\n\n", "set=1\nlisten_port=51821\n\n"], server.Requests);
    }

    [Fact]
    public void Set_WireGuardGoAnswersNegativeErrno_ThrowsWithTheErrno()
    {
        using var server = new FakeUapiServer("wgA", "errno=-22\n\n");

        var error = Assert.Throws<UapiException>(() => new UapiClient(server.Directory).Set("wgA", new DeviceConfig { ListenPort = 1 }));

        Assert.Contains("EINVAL", error.Message);
        Assert.Contains("wgA", error.Message);
    }

    [Fact]
    public void Get_SendsGetAndParsesTheAnswer()
    {
        using var server = new FakeUapiServer("wgA", $"listen_port=51820\npublic_key={Convert.ToHexStringLower(Convert.FromBase64String(PeerBase64))}\nendpoint=[::1]:51821\nallowed_ip=fd00::2/128\nerrno=0\n\n");

        var device = new UapiClient(server.Directory).Get("wgA");
        server.WaitServed();

        Assert.Equal(["get=1\n\n"], server.Requests);
        Assert.Equal(51820, device.ListenPort);
        Assert.Equal(IPEndPoint.Parse("[::1]:51821"), Assert.Single(device.Peers).Endpoint);
    }

    [Fact]
    public void Get_NoSocket_ThrowsNamingTheSocketPath()
    {
        var directory = Path.Combine(Path.GetTempPath(), "uapi-missing-" + Guid.NewGuid().ToString("N")[..8]);

        var error = Assert.Throws<UapiException>(() => new UapiClient(directory).Get("wgA"));

        Assert.Contains(Path.Combine(directory, "wgA.sock"), error.Message);
    }

    [Fact]
    public void IsStale_SocketFileWhoseListenerClosed_IsStaleWhileALiveOneIsNot()
    {
        using var live = new FakeUapiServer("wgA");
        var client = new UapiClient(live.Directory);
        using (var dead = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            dead.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(client.SocketPath("wgD")));
            dead.Listen();

            // .NET unlinks a listener's path on Dispose; moved away, the file outlives it as a dead process's would.
            File.Move(client.SocketPath("wgD"), client.SocketPath("wgB"));
        }

        Assert.False(client.IsStale("wgA"));
        Assert.True(client.IsStale("wgB"));
        Assert.False(client.IsStale("wgC"));
    }
}
