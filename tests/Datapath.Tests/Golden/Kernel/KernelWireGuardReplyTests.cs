using System.Net;
using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Kernel;

namespace WgIsolate.Datapath.Tests.Golden.Kernel;

/// <summary>
/// WireGuard genl replies a real kernel gave in the kernel VM (tests/KernelWireGuardVm.Probe, GoldenCaptures), replayed
/// through the datapath's own requests and decoders. The receiver's private key in the dump is a published test key.
/// </summary>
public class KernelWireGuardReplyTests
{
    private const ushort WireGuardFamily = 32; // what the VM's kernel assigned, see genl-getfamily-wireguard

    [Fact]
    public void GetDeviceRequest_IsByteForByteWhatTheKernelWasSent()
    {
        var capture = KernelCapture.Load("genl-getdevice-receiver");

        Assert.Equal(KernelCapture.Unsequenced(capture.Sent[0]), KernelCapture.Unsequenced(GetDeviceMessages.Request(WireGuardFamily, "wg-receiver")));
    }

    [Fact]
    public void GetDeviceDump_AfterTraffic_DecodesKeysPortEndpointsHandshakeAndCounters()
    {
        var device = Dump("genl-getdevice-receiver", "wg-receiver");

        Assert.Equal("6xOOF+Zbh9MMCfi38/gKl3cmITX7EYUAAWL9FzXHF0I=", device.PublicKey);
        Assert.Equal(51821, device.ListenPort);
        Assert.Equal(2, device.Peers.Count);

        var sender = device.Peers.Single(p => p.PublicKey == "8qgoByMp1i/wXSQk4gMFB2ZuxPdZkFJbLAxh1vVQB2Y=");
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 51822), sender.Endpoint);
        Assert.Equal([IPNetwork.Parse("fd00:77:0:1::2/128")], sender.AllowedIPs);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T10:22:27.3459278+00:00", System.Globalization.CultureInfo.InvariantCulture), sender.LastHandshake);
        Assert.Equal((1076, 764), (sender.ReceivedBytes, sender.TransmittedBytes));
        Assert.Null(sender.PresharedKey);
        Assert.Equal(0, sender.PersistentKeepalive);

        var late = device.Peers.Single(p => p.PublicKey == "2VX/4Vggp3jLbdUnebgy0RDErJuSMIGS4Yu1jDnSkyg=");
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 51899), late.Endpoint);
        Assert.Equal([IPNetwork.Parse("fd00:77:0:1::9/128")], late.AllowedIPs);
        Assert.Null(late.LastHandshake);
        Assert.Equal((0, 0), (late.ReceivedBytes, late.TransmittedBytes));
    }

    [Fact]
    public void GetDeviceDump_DecodedDevice_NeverPrintsItsPrivateKey()
    {
        var device = Dump("genl-getdevice-receiver", "wg-receiver");

        Assert.NotNull(device.PrivateKey);
        Assert.DoesNotContain(device.PrivateKey, device.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GetDeviceDump_WithAPeerSplitAcrossMessagesByTheKernel_IsCoalescedIntoOnePeer()
    {
        var capture = KernelCapture.Load("genl-getdevice-split-peer");
        var dataMessages = capture.Received.SelectMany(d => Datagram.Split(d)).Count(m => m.Header.Type == WireGuardFamily);
        Assert.True(dataMessages > 1, "the capture no longer shows a split peer");

        var device = Dump("genl-getdevice-split-peer", "wgsplit");

        Assert.Null(device.PrivateKey);
        Assert.Equal(51830, device.ListenPort);
        var peer = Assert.Single(device.Peers);
        Assert.Equal(150, peer.AllowedIPs.Count);
        Assert.Equal(150, peer.AllowedIPs.Distinct().Count());
        // The probe configured every third of 1..150 as 10.77.0.i/32 and the rest as fd00:77:0:5::i/128.
        var expected = Enumerable.Range(1, 150).Select(i => i % 3 == 0 ? IPNetwork.Parse($"10.77.0.{i}/32") : IPNetwork.Parse($"fd00:77:0:5::{i:x}/128"));
        Assert.True(peer.AllowedIPs.ToHashSet().SetEquals(expected));
    }

    [Fact]
    public void SetDevice_ForAMissingDevice_ThrowsEnodevWithoutAKernelMessage()
    {
        var capture = KernelCapture.Load("genl-setdevice-no-device");
        var request = SetDeviceMessages.Build(WireGuardFamily, "wgnone", new DeviceConfig { ListenPort = 51999 }).Single();
        Assert.Equal(KernelCapture.Unsequenced(capture.Sent[0]), KernelCapture.Unsequenced(request));
        using var socket = new NetlinkSocket(capture.Replay(), NetlinkProtocol.Generic);

        var error = Assert.Throws<NetlinkException>(() => socket.Request(request, "WG_CMD_SET_DEVICE wgnone"));

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Null(error.KernelMessage);
        Assert.Equal("WG_CMD_SET_DEVICE wgnone: No such device (ENODEV)", error.Message);
    }

    [Fact]
    public void SetDevice_WithAShortKey_ThrowsErangeWithTheKernelsMessageAndTheKeysOffset()
    {
        var capture = KernelCapture.Load("genl-setdevice-bad-key");
        using var socket = new NetlinkSocket(capture.Replay(), NetlinkProtocol.Generic);

        var error = Assert.Throws<NetlinkException>(() => socket.Request(capture.Sent[0], "WG_CMD_SET_DEVICE wgnone"));

        Assert.Equal(Errno.ERANGE, error.Errno);
        Assert.Equal("binary attribute size out of range", error.KernelMessage);
        // nlmsghdr (16) + genlmsghdr (4) + IFNAME "wgnone" (12): the private key attribute starts at byte 32.
        Assert.Equal(32u, error.ExtendedAck.AttributeOffset);
        Assert.Equal((ushort)3, BitConverter.ToUInt16(capture.Sent[0], 32 + 2)); // WGDEVICE_A_PRIVATE_KEY
        Assert.EndsWith(": binary attribute size out of range (attribute at byte 32)", error.Message);
    }

    private static WireGuardDevice Dump(string capture, string device)
    {
        using var socket = new NetlinkSocket(KernelCapture.Load(capture).Replay(), NetlinkProtocol.Generic);
        return GetDeviceMessages.Parse(socket.Dump(GetDeviceMessages.Request(WireGuardFamily, device), $"WG_CMD_GET_DEVICE {device}"));
    }
}
