using System.Net;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.Datapath.PrivilegedTests;

public class WireGuardGoTunnelTests : WireGuardGoPair
{
    [PrivilegedFact]
    public void Ping_BetweenTwoWireGuardGoLinksMovedIntoNamespaces_GetsRepliesAndReadBackShowsHandshakeAndCounters()
    {
        var ping = Ping(NameA, "fd00::2");

        Assert.True(ping.ExitCode == 0, ping.Output);
        var device = Uapi.Get(DeviceA);
        var peer = Assert.Single(device.Peers);
        Assert.Equal(PublicB, peer.PublicKey);
        Assert.NotNull(peer.LastHandshake);
        Assert.InRange(peer.LastHandshake.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(peer.ReceivedBytes > 0 && peer.TransmittedBytes > 0, peer.ToString());
    }

    [PrivilegedFact]
    public void Get_AfterConfiguring_MatchesWgShowDumpExactly()
    {
        var device = Uapi.Get(DeviceA);

        // wg show dump: device line "private public port fwmark", then per peer
        // "public psk endpoint allowed-ips handshake rx tx keepalive", tab separated.
        var lines = Ip.Run("wg", $"show {DeviceA} dump").Trim('\n').Split('\n').Select(l => l.Split('\t')).ToArray();
        Assert.Equal([PrivateA, PublicA, PortA.ToString(System.Globalization.CultureInfo.InvariantCulture), "off"], lines[0]);
        Assert.Equal(PrivateA, device.PrivateKey);
        Assert.Equal(PortA, device.ListenPort);
        var peerLine = Assert.Single(lines[1..]);
        var peer = Assert.Single(device.Peers);
        Assert.Equal(peerLine[0], peer.PublicKey);
        Assert.Equal("(none)", peerLine[1]);
        Assert.Null(peer.PresharedKey);
        Assert.Equal(peerLine[2], peer.Endpoint!.ToString());
        Assert.Equal(peerLine[3], string.Join(',', peer.AllowedIPs));
        Assert.Equal("off", peerLine[7]);
        Assert.Equal(0, peer.PersistentKeepalive);
    }

    [PrivilegedFact]
    public void SyncDiff_ChangingAnotherPeersAllowedIPs_LeavesTheFirstPeersHandshakeUntouched()
    {
        // A gets a second peer (C, a key with no device behind it: only A's view of its peers matters here).
        var publicC = WireGuardKeys.PublicKeyOf(WireGuardKeys.GeneratePrivateKey());
        Uapi.Set(DeviceA, new DeviceConfig { Peers = [PeerOfA(publicC, new IPEndPoint(IPAddress.Loopback, 9), "fd00::3/128")] });
        Assert.Equal(0, Ping(NameA, "fd00::2").ExitCode);
        var before = Uapi.Get(DeviceA);
        var handshakeB = before.Peers.Single(p => p.PublicKey == PublicB).LastHandshake;
        Assert.NotNull(handshakeB);
        var desired = new Convergence.WireGuardDeviceSpec(PrivateA, PortA,
        [
            new(PublicB, new IPEndPoint(IPAddress.Loopback, PortB), [IPNetwork.Parse("fd00::2/128")]),
            new(publicC, new IPEndPoint(IPAddress.Loopback, 9), [IPNetwork.Parse("fd00::3/128"), IPNetwork.Parse("10.9.0.0/24")]),
        ]);

        var diff = WireGuardSync.Diff(before, desired, null);
        Thread.Sleep(1100); // a re-handshake would then show a different second
        Uapi.Set(DeviceA, diff);
        var after = Uapi.Get(DeviceA);

        Assert.Equal(publicC, Assert.Single(diff.Peers).PublicKey);
        Assert.Equal(handshakeB, after.Peers.Single(p => p.PublicKey == PublicB).LastHandshake);
        Assert.Equal(["fd00::3/128", "10.9.0.0/24"], after.Peers.Single(p => p.PublicKey == publicC).AllowedIPs.Select(n => n.ToString()));
        Assert.True(WireGuardSync.Diff(after, desired, WireGuardSync.EndpointsOf(desired)).IsEmpty);
    }

    [PrivilegedFact]
    public void Ping_FromSourceOutsideThePeersAllowedIPs_IsDroppedByTheReceiver()
    {
        Assert.Equal(0, Ping(NameA, "fd00::2").ExitCode);
        B.Addresses.Ensure(B.Links.Get(DeviceB).Index, Netlink.Route.InterfaceAddress.Parse("fd00::22/64"));
        var sentByB = Uapi.Get(DeviceB).Peers.Single().TransmittedBytes;
        var sentByA = Uapi.Get(DeviceA).Peers.Single().TransmittedBytes;

        var spoofed = Ping(NameB, "fd00::1", source: "fd00::22");

        Assert.NotEqual(0, spoofed.ExitCode);
        Assert.Contains("0 received", spoofed.Output);
        // B did encrypt and send the echo requests (its tx grew) but A answered none of them (its tx did not grow
        // beyond keepalive-free silence): A dropped them for their source address.
        Assert.True(Uapi.Get(DeviceB).Peers.Single().TransmittedBytes > sentByB, "B sent the spoofed packets through the tunnel");
        Assert.Equal(sentByA, Uapi.Get(DeviceA).Peers.Single().TransmittedBytes);
        Assert.Equal(0, Ping(NameB, "fd00::1", source: "fd00::2").ExitCode);
    }
}
