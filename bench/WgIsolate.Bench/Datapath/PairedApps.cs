using System.Net;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.Bench.Datapath;

/// <summary>
/// The benchmark's apps, laid out exactly as seed-way.sh lays out its own: app i in namespace PREFIX+i with link
/// wg-PREFIX+i, address CLUSTER:(i/2+1)::(i%2+1)/64, and apps 2k and 2k+1 each other's only peer over loopback.
/// </summary>
public sealed record PairedApps(string Prefix, int Count, string Cluster, int PortBase)
{
    public string Owner(int i) => $"{Prefix}/{i}";

    public string Netns(int i) => $"{Prefix}{i}";

    public IPAddress Address(int i) => IPAddress.Parse($"{Cluster}:{i / 2 + 1:x}::{i % 2 + 1}");

    /// <summary>Builds the desired state, keys included: generating them is part of bringing apps up.</summary>
    public IReadOnlyList<AppNetwork> Build()
    {
        var keys = Enumerable.Range(0, Count).Select(_ => WireGuardKeys.GeneratePrivateKey()).ToList();
        var cluster = IPNetwork.Parse($"{Cluster}::/48");
        return Enumerable.Range(0, Count).Select(i =>
        {
            var peer = i ^ 1;
            var device = new WireGuardDeviceSpec(keys[i], PortBase + i,
            [
                new WireGuardPeerSpec(WireGuardKeys.PublicKeyOf(keys[peer]), new IPEndPoint(IPAddress.IPv6Loopback, PortBase + peer), [new IPNetwork(Address(peer), 128)]),
            ]);
            return new AppNetwork(Owner(i), Netns(i), new WireGuardInterfaceSpec($"wg-{Netns(i)}", device, new InterfaceAddress(Address(i), 64), [cluster]));
        }).ToList();
    }
}
