using System.Buffers.Binary;
using System.Net;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.Netlink.Protocol;
using static WgIsolate.Datapath.WireGuard.Kernel.WireGuardAttributes;

namespace WgIsolate.Datapath.WireGuard.Kernel;

/// <summary>
/// WG_CMD_GET_DEVICE (dump only) and its replies. A device can span several messages, and a peer whose allowed IPs
/// did not fit reappears in the next one with only PUBLIC_KEY and the rest of its ALLOWEDIPS: adjacent entries with
/// the same key are coalesced (wireguard-tools coalesce_peers). Type-0 attributes are padding that
/// nla_put_u64_64bit may insert before a u64 and are skipped.
/// </summary>
public static class GetDeviceMessages
{
    public static byte[] Request(ushort familyId, string ifname) =>
        GenericMessages.Begin(familyId, GetDevice, WireGuardAttributes.Version, MessageFlags.DumpRequest | MessageFlags.Ack)
            .String(DeviceIfName, ifname)
            .ToArray();

    public static WireGuardDevice Parse(IEnumerable<NetlinkMessage> replies)
    {
        byte[]? privateKey = null;
        var port = 0;
        var peers = new List<PeerParts>();
        foreach (var message in replies)
        {
            foreach (var attribute in message.Attributes(GenericHeader.Size))
            {
                switch (attribute.Type)
                {
                    case DevicePrivateKey:
                        privateKey = attribute.Payload.ToArray();
                        break;
                    case DeviceListenPort:
                        port = attribute.U16();
                        break;
                    case DevicePeers:
                        foreach (var entry in attribute.Nested())
                        {
                            var peer = ParsePeer(entry.Nested());
                            if (peers.Count > 0 && peers[^1].PublicKey == peer.PublicKey)
                            {
                                peers[^1].AllowedIPs.AddRange(peer.AllowedIPs);
                            }
                            else
                            {
                                peers.Add(peer);
                            }
                        }

                        break;
                    default:
                        break;
                }
            }
        }

        return new WireGuardDevice(KeyOrNull(privateKey), port, [.. peers.Select(p => p.Build())]);
    }

    private static PeerParts ParsePeer(AttributeReader attributes)
    {
        var peer = new PeerParts();
        foreach (var attribute in attributes)
        {
            switch (attribute.Type)
            {
                case PeerPublicKey: peer.PublicKey = Convert.ToBase64String(attribute.Payload); break;
                case PeerPresharedKey: peer.PresharedKey = KeyOrNull(attribute.Payload.ToArray()); break;
                case PeerEndpoint: peer.Endpoint = Sockaddr.Decode(attribute.Payload); break;
                case PeerKeepalive: peer.Keepalive = attribute.U16(); break;
                case PeerRxBytes: peer.Rx = (long)attribute.U64(); break;
                case PeerTxBytes: peer.Tx = (long)attribute.U64(); break;
                case PeerLastHandshake: peer.Handshake = Timespec(attribute.Payload); break;
                case PeerAllowedIPs:
                    foreach (var entry in attribute.Nested())
                    {
                        peer.AllowedIPs.Add(ParseAllowedIP(entry.Nested()));
                    }

                    break;
                default: break; // type-0 padding, PROTOCOL_VERSION, newer attributes
            }
        }

        return peer;
    }

    private static IPNetwork ParseAllowedIP(AttributeReader attributes)
    {
        IPAddress? address = null;
        var cidr = 0;
        foreach (var attribute in attributes)
        {
            switch (attribute.Type)
            {
                case AllowedIPAddress: address = new IPAddress(attribute.Payload); break;
                case AllowedIPCidr: cidr = attribute.U8(); break;
                default: break;
            }
        }

        return new IPNetwork(address ?? throw new NetlinkProtocolException("WGALLOWEDIP without WGALLOWEDIP_A_IPADDR"), cidr);
    }

    /// <summary>struct __kernel_timespec {s64 sec; s64 nsec}, wall clock; all zero means no handshake yet.</summary>
    private static DateTimeOffset? Timespec(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 16)
        {
            throw new NetlinkProtocolException($"WGPEER_A_LAST_HANDSHAKE_TIME has {bytes.Length} bytes, not 16");
        }

        var (seconds, nanoseconds) = (BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]));
        return seconds == 0 && nanoseconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100);
    }

    private static string? KeyOrNull(byte[]? key) => key is null || key.All(b => b == 0) ? null : Convert.ToBase64String(key);

    private sealed class PeerParts
    {
        public string PublicKey { get; set; } = "";

        public string? PresharedKey { get; set; }

        public IPEndPoint? Endpoint { get; set; }

        public DateTimeOffset? Handshake { get; set; }

        public long Rx { get; set; }

        public long Tx { get; set; }

        public int Keepalive { get; set; }

        public List<IPNetwork> AllowedIPs { get; } = [];

        public WireGuardPeer Build() => new(PublicKey, PresharedKey, Endpoint, Handshake, Rx, Tx, Keepalive, AllowedIPs);
    }
}
