using System.Net;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Userspace;

namespace WgIsolate.WireGuard.Tests;

public sealed class UapiTextTests
{
    private const string PeerBase64 = "Iou7JN6kg+m/i+jqZsxRDVj0Um7oT8uxbOUfgFfM8kI=";
    private const string PeerHex = "228bbb24dea483e9bf8be8ea66cc510d58f4526ee84fcbb16ce51f8057ccf242";
    private const string AlicePrivate = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";

    [Fact]
    public void SetRequest_SameChangeAsWgSet_WritesTheCapturedText()
    {
        // Captured from `wg set wgexpA peer <pub> endpoint [::1]:51821 allowed-ips fd00::2/128,10.9.0.0/24 persistent-keepalive 25`.
        var config = new DeviceConfig
        {
            Peers =
            [
                new PeerConfig(PeerBase64)
                {
                    Endpoint = IPEndPoint.Parse("[::1]:51821"),
                    PersistentKeepalive = 25,
                    ReplaceAllowedIPs = true,
                    AllowedIPs = [IPNetwork.Parse("fd00::2/128"), IPNetwork.Parse("10.9.0.0/24")],
                },
            ],
        };

        Assert.Equal(
            $"set=1\npublic_key={PeerHex}\nendpoint=[::1]:51821\npersistent_keepalive_interval=25\nreplace_allowed_ips=true\nallowed_ip=fd00::2/128\nallowed_ip=10.9.0.0/24\n\n",
            UapiText.SetRequest(config));
    }

    [Fact]
    public void SetRequest_DeviceSettingsAndRemovedPeer_WritesDeviceKeysFirstAndRemoveAlone()
    {
        var config = new DeviceConfig
        {
            PrivateKey = AlicePrivate,
            ListenPort = 51820,
            ReplacePeers = true,
            Peers = [new PeerConfig(PeerBase64) { Remove = true, AllowedIPs = [IPNetwork.Parse("fd00::2/128")] }, new PeerConfig(PeerBase64) { UpdateOnly = true, PresharedKey = PeerConfig.NoPresharedKey }],
        };

        Assert.Equal(
            "set=1\nprivate_key=77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a\nlisten_port=51820\nreplace_peers=true\n"
            + $"public_key={PeerHex}\nremove=true\npublic_key={PeerHex}\nupdate_only=true\npreshared_key={new string('0', 64)}\n\n",
            UapiText.SetRequest(config));
    }

    [Fact]
    public void ParseGet_WireGuardGoAnswer_ReadsPeersHandshakeCountersAndHidesZeroPsk()
    {
        var answer = "private_key=77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a\nlisten_port=51820\n"
            + $"public_key={PeerHex}\npreshared_key={new string('0', 64)}\nprotocol_version=1\nendpoint=127.0.0.1:51821\n"
            + "last_handshake_time_sec=1764059000\nlast_handshake_time_nsec=500000000\ntx_bytes=1184\nrx_bytes=1036\n"
            + "persistent_keepalive_interval=25\nallowed_ip=fd00::2/128\nallowed_ip=10.9.0.0/24\nerrno=0\n\n";

        var device = UapiText.ParseGet(answer, "wgA");

        Assert.Equal(AlicePrivate, device.PrivateKey);
        Assert.Equal(51820, device.ListenPort);
        var peer = Assert.Single(device.Peers);
        Assert.Equal(PeerBase64, peer.PublicKey);
        Assert.Null(peer.PresharedKey);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:51821"), peer.Endpoint);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764059000).AddMilliseconds(500), peer.LastHandshake);
        Assert.Equal((1036L, 1184L, 25), (peer.ReceivedBytes, peer.TransmittedBytes, peer.PersistentKeepalive));
        Assert.Equal([IPNetwork.Parse("fd00::2/128"), IPNetwork.Parse("10.9.0.0/24")], peer.AllowedIPs);
    }

    [Fact]
    public void ParseGet_NoHandshakeYet_LastHandshakeIsNull()
    {
        var answer = $"private_key={new string('0', 64)}\nlisten_port=0\npublic_key={PeerHex}\nlast_handshake_time_sec=0\nlast_handshake_time_nsec=0\nerrno=0\n\n";

        var device = UapiText.ParseGet(answer, "wgA");

        Assert.Null(device.PrivateKey);
        Assert.Null(Assert.Single(device.Peers).LastHandshake);
    }

    [Theory]
    [InlineData("-22", "22")]
    [InlineData("22", "22")]
    [InlineData("-98", "98")]
    public void ThrowIfError_NegativeOrPositiveErrno_ThrowsNamingDeviceAndOperation(string errno, string number)
    {
        var error = Assert.Throws<UapiException>(() => UapiText.ThrowIfError(errno, "wgA", "set"));
        Assert.Contains("wgA", error.Message);
        Assert.Contains("set failed", error.Message);
        Assert.DoesNotContain("-" + number, error.Message);
    }

    [Fact]
    public void ParseGet_ErrnoInAnswer_Throws() =>
        Assert.Throws<UapiException>(() => UapiText.ParseGet("errno=-22\n\n", "wgA"));
}
