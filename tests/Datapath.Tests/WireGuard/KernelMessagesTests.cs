using System.Net;
using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Tests.Support;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Kernel;

namespace WgIsolate.Datapath.Tests.WireGuard;

public sealed class KernelMessagesTests
{
    // netlink-reference.md uses FF FF for the family id, so these tests resolve "wireguard" to 0xFFFF.
    private const ushort Family = 0xFFFF;
    private const string AlicePrivate = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    private const string BobPublic = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=";

    [Fact]
    public void SetDevice_ReferenceExample_EncodesThe216ComputedBytes()
    {
        var config = new DeviceConfig
        {
            PrivateKey = AlicePrivate,
            ListenPort = 51820,
            ReplacePeers = true,
            Peers =
            [
                new PeerConfig(BobPublic)
                {
                    ReplaceAllowedIPs = true,
                    Endpoint = IPEndPoint.Parse("[fd00::2]:51820"),
                    PersistentKeepalive = 25,
                    AllowedIPs = [IPNetwork.Parse("fd00::2/128")],
                },
            ],
        };
        var expected = Hex.Parse("""
            d8 00 00 00 FF FF 05 00 00 00 00 00 00 00 00 00
            01 01 00 00 08 00 02 00 77 67 30 00 24 00 03 00
            77 07 6d 0a 73 18 a5 7d 3c 16 c1 72 51 b2 66 45
            df 4c 2f 87 eb c0 99 2a b1 77 fb a5 1d b9 2c 2a
            06 00 06 00 6c ca 00 00 08 00 05 00 01 00 00 00
            88 00 08 80 84 00 00 80 24 00 01 00 de 9e db 7d
            7b 7d c1 b4 d3 5b 61 c2 ec e4 35 37 3f 83 43 c8
            5b 78 67 4d ad fc 7e 14 6f 88 2b 4f 08 00 03 00
            02 00 00 00 20 00 04 00 0a 00 ca 6c 00 00 00 00
            fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02
            00 00 00 00 06 00 05 00 19 00 00 00 2c 00 09 80
            28 00 00 80 06 00 01 00 0a 00 00 00 14 00 02 00
            fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02
            05 00 03 00 80 00 00 00
            """);

        var message = Assert.Single(SetDeviceMessages.Build(Family, "wg0", config));

        Assert.Equal(Hex.Format(expected), Hex.Format(message));
    }

    [Fact]
    public void GetDevice_Request_IsThe28ComputedBytes() =>
        Assert.Equal(
            "1c 00 00 00 ff ff 05 03 00 00 00 00 00 00 00 00 00 01 00 00 08 00 02 00 77 67 30 00",
            Hex.Format(GetDeviceMessages.Request(Family, "wg0")));

    [Fact]
    public void SetDevice_300Peers_SplitsWithinBudgetAndParsesBackToEveryPeer()
    {
        var peers = Enumerable.Range(0, 300).Select(i => new PeerConfig(Key(i))
        {
            PresharedKey = Key(1000 + i),
            Endpoint = new IPEndPoint(IPAddress.Loopback, 40000 + i),
            PersistentKeepalive = 25,
            ReplaceAllowedIPs = true,
            // One peer with many allowed IPs must itself be split across messages.
            AllowedIPs = [.. Enumerable.Range(0, i == 150 ? 300 : 2).Select(j => new IPNetwork(new IPAddress([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(j >> 8), (byte)j]), 128))],
        }).ToList();
        var config = new DeviceConfig { PrivateKey = AlicePrivate, ListenPort = 51820, ReplacePeers = true, Peers = peers };

        var messages = SetDeviceMessages.Build(Family, "wg0", config);

        Assert.True(messages.Count > 10, $"{messages.Count} messages");
        Assert.All(messages, m => Assert.InRange(m.Length, 1, SetDeviceMessages.DefaultBudget));
        var parsed = messages.Select(m => Datagram.Split(m).Single()).ToList();
        Assert.Equal(1, parsed.Count(m => Has(m, 3)));
        Assert.True(Has(parsed[0], 3) && Has(parsed[0], 6) && Has(parsed[0], 5), "device attributes in the first message");
        Assert.All(parsed.Skip(1), m => Assert.Equal([2, 8], TopLevelTypes(m)));

        var device = GetDeviceMessages.Parse(parsed);
        Assert.Equal(300, device.Peers.Count);
        Assert.Equal(peers.Select(p => p.PublicKey), device.Peers.Select(p => p.PublicKey));
        Assert.Equal(300, device.Peers[150].AllowedIPs.Count);
        Assert.Equal(peers[150].AllowedIPs, device.Peers[150].AllowedIPs);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 40299), device.Peers[299].Endpoint);
        Assert.Equal(Key(1299), device.Peers[299].PresharedKey);

        // The continued chunks of peer 150 repeat only its key (no flags, PSK, endpoint or keepalive).
        var chunks = parsed.SelectMany(PeerEntries).Where(e => e.Key == Key(150)).ToList();
        Assert.True(chunks.Count > 1, "peer 150 spans messages");
        Assert.Equal([1, 3, 2, 4, 5, 9], chunks[0].Types);
        Assert.All(chunks.Skip(1), c => Assert.Equal([1, 9], c.Types));
    }

    [Fact]
    public void SetDevice_RemovedPeer_CarriesOnlyKeyAndRemoveFlag()
    {
        var messages = SetDeviceMessages.Build(Family, "wg0", new DeviceConfig { Peers = [new PeerConfig(BobPublic) { Remove = true, Endpoint = IPEndPoint.Parse("127.0.0.1:1") }] });

        var entry = Assert.Single(PeerEntries(Datagram.Split(Assert.Single(messages)).Single()));
        Assert.Equal([1, 3], entry.Types);
    }

    [Fact]
    public void ParseGet_HandBuiltReplyWithPaddingAndContinuedPeer_ReadsHandshakeCountersAndCoalesces()
    {
        var handshake = DateTimeOffset.FromUnixTimeSeconds(1764059000).AddTicks(1234567);
        var timespec = new byte[16];
        BitConverter.TryWriteBytes(timespec, handshake.ToUnixTimeSeconds());
        BitConverter.TryWriteBytes(timespec.AsSpan(8), 123456700L);
        var bob = Convert.FromBase64String(BobPublic);

        var first = new MessageWriter(Family, MessageFlags.Multi).WriteStruct(new Netlink.Generic.GenericHeader(0, 1));
        first.U32(1, 7).String(2, "wg0").Attribute(3, Convert.FromBase64String(AlicePrivate)).U16(6, 51820);
        var peers = first.BeginNest(8, true);
        var peer = first.BeginNest(0, true);
        first.Attribute(1, bob).Attribute(2, new byte[32]).Attribute(4, Hex.Parse("02 00 ca 6c 7f 00 00 01 00*8"))
            .Attribute(0, []) // WGPEER_A_UNSPEC padding before the u64 counters
            .Attribute(6, timespec).U64(7, 1036).U64(8, 1184).U16(5, 25);
        var ips = first.BeginNest(9, true);
        AllowedIP(first, "fd00::2", 128);
        first.EndNest(ips).EndNest(peer).EndNest(peers);
        var second = new MessageWriter(Family, MessageFlags.Multi).WriteStruct(new Netlink.Generic.GenericHeader(0, 1)).String(2, "wg0");
        peers = second.BeginNest(8, true);
        peer = second.BeginNest(0, true);
        second.Attribute(1, bob);
        ips = second.BeginNest(9, true);
        AllowedIP(second, "10.9.0.0", 24);
        second.EndNest(ips).EndNest(peer).EndNest(peers);

        var device = GetDeviceMessages.Parse([Datagram.Split(first.ToArray()).Single(), Datagram.Split(second.ToArray()).Single()]);

        Assert.Equal(AlicePrivate, device.PrivateKey);
        Assert.Equal(51820, device.ListenPort);
        var read = Assert.Single(device.Peers);
        Assert.Equal(BobPublic, read.PublicKey);
        Assert.Null(read.PresharedKey);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:51820"), read.Endpoint);
        Assert.Equal(handshake, read.LastHandshake);
        Assert.Equal((1036L, 1184L, 25), (read.ReceivedBytes, read.TransmittedBytes, read.PersistentKeepalive));
        Assert.Equal([IPNetwork.Parse("fd00::2/128"), IPNetwork.Parse("10.9.0.0/24")], read.AllowedIPs);
    }

    private static void AllowedIP(MessageWriter writer, string address, byte cidr)
    {
        var ip = IPAddress.Parse(address);
        var entry = writer.BeginNest(0, true);
        writer.U16(1, (ushort)(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 10 : 2)).Attribute(2, ip.GetAddressBytes()).U8(3, cidr);
        writer.EndNest(entry);
    }

    private static string Key(int i)
    {
        var key = new byte[32];
        BitConverter.TryWriteBytes(key, i + 1);
        return Convert.ToBase64String(key);
    }

    private static bool Has(NetlinkMessage message, ushort type) => TopLevelTypes(message).Contains(type);

    private static List<int> TopLevelTypes(NetlinkMessage message)
    {
        var types = new List<int>();
        foreach (var attribute in message.Attributes(4))
        {
            types.Add(attribute.Type);
        }

        return types;
    }

    private static List<(string Key, List<int> Types)> PeerEntries(NetlinkMessage message)
    {
        var entries = new List<(string, List<int>)>();
        foreach (var attribute in message.Attributes(4))
        {
            if (attribute.Type != 8)
            {
                continue;
            }

            foreach (var entry in attribute.Nested())
            {
                var types = new List<int>();
                var key = "";
                foreach (var field in entry.Nested())
                {
                    types.Add(field.Type);
                    if (field.Type == 1)
                    {
                        key = Convert.ToBase64String(field.Payload);
                    }
                }

                entries.Add((key, types));
            }
        }

        return entries;
    }
}
