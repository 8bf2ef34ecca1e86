using System.Globalization;
using System.Net;
using System.Text;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.KernelWireGuardVm.Probe;

/// <summary>
/// The apps the VM scenarios converge, as the agent would describe them: the seed's receiver (::1) and sender (::2)
/// in one /64, an outsider that lists both as peers but is listed by neither, and an app with 300 peers.
/// </summary>
public static class VmApps
{
    public const string Scope = "vm/";
    public const int ManyPeers = 300;
    public static readonly IPNetwork Cluster = IPNetwork.Parse("fd00:77::/48");

    // Fixed test keys, published here on purpose: the kernel's GET_DEVICE reply carries the device's private key,
    // and that reply is committed as a golden file. They never protect anything.
    public static readonly string ReceiverKey = TestKey("wgisolate vm receiver");
    public static readonly string SenderKey = TestKey("wgisolate vm sender");
    public static readonly string OutsiderKey = TestKey("wgisolate vm outsider");
    public static readonly string ManyPeersKey = TestKey("wgisolate vm many peers");

    /// <summary>The peer the diff scenario adds to the receiver; nobody answers at its endpoint.</summary>
    public static readonly WireGuardPeerSpec LatePeer = Peer(TestKey("wgisolate vm late peer"), 51899, Address(1, 9));

    public static AppNetwork Receiver(params WireGuardPeerSpec[] extraPeers) =>
        App("receiver", ReceiverKey, 51821, Address(1, 1), [Peer(SenderKey, 51822, Address(1, 2)), .. extraPeers]);

    public static AppNetwork Sender() => App("sender", SenderKey, 51822, Address(1, 2), [Peer(ReceiverKey, 51821, Address(1, 1))]);

    public static AppNetwork Outsider() => App("outsider", OutsiderKey, 51823, Address(2, 1),
        [Peer(ReceiverKey, 51821, Address(1, 1)), Peer(SenderKey, 51822, Address(1, 2))]);

    /// <summary>300 peers, each with its own /128 and an endpoint: far more than one 4 KiB SET_DEVICE holds.</summary>
    public static AppNetwork WithManyPeers() => App("many", ManyPeersKey, 51824, Address(3, 1),
        [.. Enumerable.Range(1, ManyPeers).Select(i => Peer(TestKey($"wgisolate vm peer {i}"), 20000 + i, Address(4, i)))]);

    public static IPAddress Address(int subnet, int host) =>
        IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"fd00:77:0:{subnet:x}::{host:x}"));

    private static WireGuardPeerSpec Peer(string privateKey, int port, IPAddress address) =>
        new(WireGuardKeys.PublicKeyOf(privateKey), new IPEndPoint(IPAddress.IPv6Loopback, port), [new IPNetwork(address, 128)]);

    private static AppNetwork App(string role, string privateKey, int port, IPAddress address, IReadOnlyList<WireGuardPeerSpec> peers) =>
        new(Scope + role, role, new WireGuardInterfaceSpec($"wg-{role}", new WireGuardDeviceSpec(privateKey, port, peers),
            new InterfaceAddress(address, 64), [Cluster]));

    /// <summary>A valid, clamped Curve25519 private key derived from a label, so every run uses the same keys.
    /// libsodium's SHA-256 (through NSec), because .NET's own would need OpenSSL, which the VM does not have.</summary>
    private static string TestKey(string label)
    {
        var key = NSec.Cryptography.HashAlgorithm.Sha256.Hash(Encoding.UTF8.GetBytes(label));
        key[0] &= 248;
        key[31] = (byte)((key[31] & 127) | 64);
        return Convert.ToBase64String(key);
    }
}
