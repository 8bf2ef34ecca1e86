using System.Net;
using System.Net.Sockets;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.Netlink.Protocol;
using static WgIsolate.Datapath.WireGuard.Kernel.WireGuardAttributes;

namespace WgIsolate.Datapath.WireGuard.Kernel;

/// <summary>
/// WG_CMD_SET_DEVICE, split into messages of at most <c>budget</c> bytes with wireguard-tools' continuation rules
/// (src/ipc-linux.h): device attributes only in the first message, later ones carry IFNAME + PEERS; a peer continued
/// in the next message repeats only PUBLIC_KEY (+ REMOVE_ME/UPDATE_ONLY) and its remaining ALLOWEDIPS; preshared key,
/// endpoint, keepalive and REPLACE_ALLOWEDIPS go only in the peer's first chunk. Each message is acknowledged on
/// its own, so a failure part-way leaves a partial update; the configs the agent sends are idempotent to retry.
/// </summary>
public static class SetDeviceMessages
{
    public const int DefaultBudget = 4096;

    private const int NestHeader = 4;
    private const int KeyAttribute = 4 + 32;
    private const int U32Attribute = 8;

    public static IReadOnlyList<byte[]> Build(ushort familyId, string ifname, DeviceConfig config, int budget = DefaultBudget)
    {
        var messages = new List<byte[]>();
        var writer = Start(familyId, ifname, config, first: true);
        MessageWriter.Nest? peers = null;

        foreach (var peer in config.Peers)
        {
            var ips = peer.Remove ? [] : peer.AllowedIPs;
            var next = 0;
            var firstChunk = true;
            while (true)
            {
                var head = PeerHeadSize(peer, firstChunk, next < ips.Count);
                var needed = head + (next < ips.Count ? AllowedIPSize(ips[next]) : 0) + (peers is null ? NestHeader : 0);
                if (writer.Length + needed > budget && peers is not null)
                {
                    messages.Add(writer.EndNest(peers.Value).ToArray());
                    writer = Start(familyId, ifname, config, first: false);
                    peers = null;
                    continue;
                }

                if (writer.Length + needed > budget)
                {
                    throw new ArgumentOutOfRangeException(nameof(budget), budget, $"a SET_DEVICE of {ifname} cannot hold even one peer chunk");
                }

                peers ??= writer.BeginNest(DevicePeers, setNestedFlag: true);
                var entry = writer.BeginNest(Element, setNestedFlag: true);
                WritePeerHead(writer, peer, firstChunk);
                if (next < ips.Count)
                {
                    var list = writer.BeginNest(PeerAllowedIPs, setNestedFlag: true);
                    while (next < ips.Count && writer.Length + AllowedIPSize(ips[next]) <= budget)
                    {
                        WriteAllowedIP(writer, ips[next++]);
                    }

                    writer.EndNest(list);
                }

                writer.EndNest(entry);
                if (next >= ips.Count)
                {
                    break;
                }

                messages.Add(writer.EndNest(peers.Value).ToArray());
                writer = Start(familyId, ifname, config, first: false);
                peers = null;
                firstChunk = false;
            }
        }

        if (peers is not null)
        {
            writer.EndNest(peers.Value);
        }

        messages.Add(writer.ToArray());
        return messages;
    }

    private static MessageWriter Start(ushort familyId, string ifname, DeviceConfig config, bool first)
    {
        var writer = GenericMessages.Begin(familyId, SetDevice, WireGuardAttributes.Version, MessageFlags.Modify).String(DeviceIfName, ifname);
        if (!first)
        {
            return writer;
        }

        if (config.PrivateKey is { } key)
        {
            writer.Attribute(DevicePrivateKey, WireGuardKeys.Decode(key, "private key"));
        }

        if (config.ListenPort is { } port)
        {
            writer.U16(DeviceListenPort, checked((ushort)port));
        }

        if (config.ReplacePeers)
        {
            writer.U32(DeviceFlags, DeviceFlagReplacePeers);
        }

        return writer;
    }

    private static uint FlagsOf(PeerConfig peer, bool firstChunk) =>
        (peer.Remove ? PeerFlagRemove : 0)
        | (peer.UpdateOnly ? PeerFlagUpdateOnly : 0)
        | (firstChunk && peer.ReplaceAllowedIPs && !peer.Remove ? PeerFlagReplaceAllowedIPs : 0);

    private static int PeerHeadSize(PeerConfig peer, bool firstChunk, bool hasAllowedIPs)
    {
        var size = NestHeader + KeyAttribute + (FlagsOf(peer, firstChunk) != 0 ? U32Attribute : 0) + (hasAllowedIPs ? NestHeader : 0);
        if (firstChunk && !peer.Remove)
        {
            size += (peer.PresharedKey is null ? 0 : KeyAttribute)
                + (peer.Endpoint is null ? 0 : 4 + (peer.Endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? 28 : 16))
                + (peer.PersistentKeepalive is null ? 0 : U32Attribute);
        }

        return size;
    }

    private static void WritePeerHead(MessageWriter writer, PeerConfig peer, bool firstChunk)
    {
        writer.Attribute(PeerPublicKey, WireGuardKeys.Decode(peer.PublicKey, "public key"));
        if (FlagsOf(peer, firstChunk) is var flags and not 0)
        {
            writer.U32(WireGuardAttributes.PeerFlags, flags);
        }

        if (!firstChunk || peer.Remove)
        {
            return;
        }

        if (peer.PresharedKey is { } psk)
        {
            writer.Attribute(PeerPresharedKey, WireGuardKeys.Decode(psk, "preshared key"));
        }

        if (peer.Endpoint is { } endpoint)
        {
            writer.Attribute(PeerEndpoint, Sockaddr.Encode(endpoint));
        }

        if (peer.PersistentKeepalive is { } keepalive)
        {
            writer.U16(PeerKeepalive, checked((ushort)keepalive));
        }
    }

    private static int AllowedIPSize(IPNetwork network) =>
        NestHeader + 8 + 4 + (network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? 16 : 4) + 8;

    private static void WriteAllowedIP(MessageWriter writer, IPNetwork network)
    {
        var entry = writer.BeginNest(Element, setNestedFlag: true);
        writer.U16(AllowedIPFamily, Netlink.Route.AddressFamilies.Of(network.BaseAddress));
        writer.Attribute(AllowedIPAddress, network.BaseAddress.GetAddressBytes());
        writer.U8(AllowedIPCidr, (byte)network.PrefixLength);
        writer.EndNest(entry);
    }
}
