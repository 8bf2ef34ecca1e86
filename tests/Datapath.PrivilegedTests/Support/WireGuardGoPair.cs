using System.Net;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Userspace;

namespace WgIsolate.Datapath.PrivilegedTests.Support;

/// <summary>
/// Two wireguard-go devices created in the host netns and configured over UAPI as each other's peer (A: fd00::1,
/// endpoint 127.0.0.1; B: fd00::2, endpoint [::1]), then moved into fresh namespaces A and B with addresses (nodad)
/// and the links up: the datapath of one app, twice. Dispose deletes the TUNs, so wireguard-go exits.
/// </summary>
public abstract class WireGuardGoPair : KernelTest
{
    private readonly RouteNetlink host;
    private readonly List<(string Device, RouteNetlink Where)> devices = [];

    protected WireGuardGoPair()
    {
        if (WireGuardGo.FindOnPath() is null)
        {
            Assert.Fail("privileged tests are opted in but wireguard-go is not on PATH (Debian package wireguard-go)");
        }

        host = Track(RouteNetlink.Open());
        Go = new WireGuardGo(Uapi);
        DeviceA = UniqueName("wa");
        DeviceB = UniqueName("wb");
        PortA = Random.Shared.Next(40000, 50000);
        PortB = PortA + 1;
        NameA = CreateNamespace("a");
        NameB = CreateNamespace("b");
        A = Track(RouteNetlink.OpenIn(Track(NamedNetworkNamespaces.Open(NameA))));
        B = Track(RouteNetlink.OpenIn(Track(NamedNetworkNamespaces.Open(NameB))));

        // Tracked after the sockets, so it is disposed before them: the TUNs go while the sockets still work.
        Track(new DeviceRemoval(this));
        Start(DeviceA, PrivateA, PortA);
        Start(DeviceB, PrivateB, PortB);
        Uapi.Set(DeviceA, new DeviceConfig { Peers = [PeerOfA(PublicB, new IPEndPoint(IPAddress.Loopback, PortB), "fd00::2/128")] });
        Uapi.Set(DeviceB, new DeviceConfig { Peers = [PeerOfA(PublicA, new IPEndPoint(IPAddress.IPv6Loopback, PortA), "fd00::1/128")] });

        MoveAndAddress(DeviceA, NameA, A, "fd00::1/64");
        MoveAndAddress(DeviceB, NameB, B, "fd00::2/64");
    }

    protected UapiClient Uapi { get; } = new();

    protected WireGuardGo Go { get; }

    protected string DeviceA { get; }

    protected string DeviceB { get; }

    protected string NameA { get; }

    protected string NameB { get; }

    protected int PortA { get; }

    protected int PortB { get; }

    protected RouteNetlink A { get; }

    protected RouteNetlink B { get; }

    protected string PrivateA { get; } = WireGuardKeys.GeneratePrivateKey();

    protected string PrivateB { get; } = WireGuardKeys.GeneratePrivateKey();

    protected string PublicA => WireGuardKeys.PublicKeyOf(PrivateA);

    protected string PublicB => WireGuardKeys.PublicKeyOf(PrivateB);

    protected static PeerConfig PeerOfA(string publicKey, IPEndPoint endpoint, params string[] allowed) => new(publicKey)
    {
        Endpoint = endpoint,
        ReplaceAllowedIPs = true,
        AllowedIPs = [.. allowed.Select(IPNetwork.Parse)],
    };

    protected (int ExitCode, string Output) Ping(string fromNetns, string to, string? source = null, int count = 2)
    {
        var (exitCode, output, error) = Ip.TryRun("ip", $"netns exec {fromNetns} ping -6 -c {count} -i 0.3 -W 3 {(source is null ? "" : "-I " + source + " ")}{to}");
        return (exitCode, output + error);
    }

    private void Start(string device, string privateKey, int port)
    {
        devices.Add((device, host));
        Go.Start(device);
        Uapi.Set(device, new DeviceConfig { PrivateKey = privateKey, ListenPort = port });
    }

    private void MoveAndAddress(string device, string netnsName, RouteNetlink inside, string address)
    {
        using (var target = NamedNetworkNamespaces.Open(netnsName))
        {
            host.Links.MoveToNetns(device, target);
        }

        var index = devices.FindIndex(d => d.Device == device);
        devices[index] = (device, inside);
        inside.Addresses.Ensure(inside.Links.Get(device).Index, InterfaceAddress.Parse(address));
        inside.Links.EnsureUp("lo");
        inside.Links.EnsureUp(device);
    }

    private sealed class DeviceRemoval(WireGuardGoPair pair) : IDisposable
    {
        public void Dispose()
        {
            foreach (var (device, where) in pair.devices)
            {
                pair.Go.Remove(device, where.Links.DeleteIfExists);
            }
        }
    }
}
