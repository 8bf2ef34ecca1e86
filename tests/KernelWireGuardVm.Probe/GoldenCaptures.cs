using System.Net;
using System.Text.Json;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Kernel;

namespace WgIsolate.KernelWireGuardVm.Probe;

/// <summary>
/// Real kernel replies printed as CAPTURE lines for tests/Datapath.Tests/Golden/Kernel: a GET_DEVICE dump of a device
/// after traffic, a dump in which the kernel splits one peer across messages, and two SET_DEVICE errors (no such
/// device; a malformed key, answered with an extended ack). Only the request of interest is recorded: the family id
/// is resolved on a separate socket, so each capture replays as one request and its replies.
/// </summary>
public static class GoldenCaptures
{
    private const string SplitDevice = "wgsplit";
    private const int SplitAllowedIPs = 150;

    public static bool RunAll(IWireGuardBackend backend) =>
        Scenarios.Run("capture-get-device", GetDeviceAfterTraffic)
        & Scenarios.Run("capture-get-device-split-peer", () => GetDeviceWithSplitPeer(backend))
        & Scenarios.Run("capture-set-device-no-device", SetDeviceForMissingDevice)
        & Scenarios.Run("capture-set-device-bad-key", SetDeviceWithShortKey);

    private static Action<Utf8JsonWriter> GetDeviceAfterTraffic()
    {
        using var netns = NamedNetworkNamespaces.Open("receiver");
        var device = Dump(netns, "wg-receiver", "genl-getdevice-receiver", out var messages);
        return json =>
        {
            json.WriteNumber("replyMessages", messages);
            Device(json, device);
        };
    }

    /// <summary>One peer with more allowed IPs than one ~4 KiB dump message holds (IPv4 and IPv6 mixed); no private key.</summary>
    private static Action<Utf8JsonWriter> GetDeviceWithSplitPeer(IWireGuardBackend backend)
    {
        using var root = NamedNetworkNamespaces.OpenCurrent();
        backend.CreateLink(SplitDevice, root);
        try
        {
            var allowed = Enumerable.Range(1, SplitAllowedIPs)
                .Select(i => i % 3 == 0
                    ? new IPNetwork(IPAddress.Parse($"10.77.{i / 256}.{i % 256}"), 32)
                    : new IPNetwork(VmApps.Address(5, i), 128))
                .ToList();
            backend.Configure(SplitDevice, root, new DeviceConfig
            {
                ListenPort = 51830,
                Peers = [new PeerConfig(VmApps.LatePeer.PublicKey) { ReplaceAllowedIPs = true, AllowedIPs = allowed }],
            });
            var device = Dump(root, SplitDevice, "genl-getdevice-split-peer", out var messages);
            return json =>
            {
                json.WriteNumber("replyMessages", messages);
                json.WriteNumber("allowedIPsConfigured", allowed.Count);
                json.WriteBoolean("allowedIPsEqual", device.Peers.Single().AllowedIPs.ToHashSet().SetEquals(allowed));
                Device(json, device);
            };
        }
        finally
        {
            using var route = Datapath.Netlink.Route.RouteNetlink.Open();
            route.Links.DeleteIfExists(SplitDevice);
        }
    }

    private static Action<Utf8JsonWriter> SetDeviceForMissingDevice()
    {
        var family = ResolveFamily();
        var request = SetDeviceMessages.Build(family, "wgnone", new DeviceConfig { ListenPort = 51999 }).Single();
        return Refused("genl-setdevice-no-device", request, attributeOfInterest: null);
    }

    /// <summary>The key is 16 bytes where the policy says exactly 32: the kernel answers with an extended ack.</summary>
    private static Action<Utf8JsonWriter> SetDeviceWithShortKey()
    {
        var family = ResolveFamily();
        var writer = GenericMessages.Begin(family, WireGuardAttributes.SetDevice, WireGuardAttributes.Version, Datapath.Netlink.Protocol.MessageFlags.Modify)
            .String(WireGuardAttributes.DeviceIfName, "wgnone");
        var keyOffset = writer.Length;
        var request = writer.Attribute(WireGuardAttributes.DevicePrivateKey, new byte[16]).ToArray();
        return Refused("genl-setdevice-bad-key", request, keyOffset);
    }

    private static Action<Utf8JsonWriter> Refused(string capture, byte[] request, int? attributeOfInterest)
    {
        using var socket = RecordingTransport.Open(NetlinkProtocol.Generic, capture);
        try
        {
            socket.Request(request, capture);
            throw new InvalidOperationException($"{capture}: the kernel accepted the request");
        }
        catch (NetlinkException e)
        {
            return json =>
            {
                ProbeOutput.NetlinkError(json, e);
                if (attributeOfInterest is { } expected) json.WriteNumber("offsetOfBadAttribute", expected);
            };
        }
    }

    private static WireGuardDevice Dump(NetnsHandle netns, string device, string capture, out int messages)
    {
        ushort family;
        using (var plain = NetlinkSocket.OpenIn(netns, NetlinkProtocol.Generic))
        {
            family = GenericFamily.ResolveId(plain, WireGuardAttributes.FamilyName);
        }

        using var recorded = RecordingTransport.OpenIn(netns, NetlinkProtocol.Generic, capture);
        var replies = recorded.Dump(GetDeviceMessages.Request(family, device), $"WG_CMD_GET_DEVICE {device}");
        messages = replies.Count;
        return GetDeviceMessages.Parse(replies);
    }

    private static ushort ResolveFamily()
    {
        using var plain = NetlinkSocket.Open(NetlinkProtocol.Generic);
        return GenericFamily.ResolveId(plain, WireGuardAttributes.FamilyName);
    }

    private static void Device(Utf8JsonWriter json, WireGuardDevice device)
    {
        json.WriteString("publicKey", device.PublicKey);
        json.WriteNumber("listenPort", device.ListenPort);
        json.WriteStartArray("peers");
        foreach (var peer in device.Peers)
        {
            json.WriteStartObject();
            json.WriteString("publicKey", peer.PublicKey);
            json.WriteString("endpoint", peer.Endpoint?.ToString());
            json.WriteString("handshake", peer.LastHandshake?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("rx", peer.ReceivedBytes);
            json.WriteNumber("tx", peer.TransmittedBytes);
            json.WriteNumber("allowedIPs", peer.AllowedIPs.Count);
            json.WriteString("firstAllowedIP", peer.AllowedIPs.Count > 0 ? peer.AllowedIPs[0].ToString() : null);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
