using System.Diagnostics;
using System.Net;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Linux;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Userspace;

namespace WgIsolate.Datapath.PrivilegedTests.Scenarios;

/// <summary>
/// Apps realised by the real converger on the real kernel with wireguard-go: everything a test creates is owned
/// by a scope unique to the test, so convergence to nothing in Dispose removes exactly that, even after a failure.
/// </summary>
public abstract class ScenarioTest : KernelTest
{
    private readonly string suffix = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 2));
    private readonly int portBase = 40000 + Random.Shared.Next(0, 2000) * 10;
    private string? launcherScript;

    /// <param name="ownHost">Give the test a namespace of its own that plays the host (WireGuard links born there,
    /// forwarding and NAT set there), so that egress scenarios never switch on forwarding on the machine itself.</param>
    protected ScenarioTest(bool ownHost = false)
    {
        Assert.True(WireGuardGo.FindOnPath() is not null, "wireguard-go is not installed (Debian package wireguard-go): the userspace WireGuard tests need it");
        var backend = new UserspaceWireGuard();
        if (ownHost)
        {
            HostNetns = CreateNamespace("h");
            backend = new UserspaceWireGuard(new UapiClient(), new WireGuardGo(new UapiClient(), WireGuardGoLauncherIn(HostNetns)));
        }

        Dataplane = new LinuxDataplane(backend, natTable: $"wgisolate_nat_t{suffix}", hostNetns: HostNetns);
        Converger = new Converger(Dataplane, Scope);
        Cluster = IPNetwork.Parse($"fd{suffix[..2]}:{suffix}:{Random.Shared.Next(1, 0xffff):x}::/48");
    }

    /// <summary>The namespace playing the host, or null when the machine's own namespace is the host.</summary>
    protected string? HostNetns { get; }

    protected LinuxDataplane Dataplane { get; }

    protected Converger Converger { get; }

    protected IPNetwork Cluster { get; }

    protected string Scope => $"test{suffix}/";

    /// <summary>Namespace and link names: "t" + suffix + role, within IFNAMSIZ once prefixed with "wg-".</summary>
    protected string Name(string role) => $"t{suffix}{role}";

    protected IPAddress Address(int subnet, int host) => IPAddress.Parse($"{Cluster.BaseAddress.ToString().TrimEnd(':')}:{subnet:x}::{host:x}");

    /// <summary>An app with the given peers (each an app already made with this helper).</summary>
    protected AppNetwork App(string role, int subnet, int host, string privateKey, IEnumerable<(AppNetwork App, string PrivateKey)> peers,
        VethEgressSpec? egress = null, string? ruleset = null)
    {
        var name = Name(role);
        var peerSpecs = peers.Select(p => new WireGuardPeerSpec(
            WireGuardKeys.PublicKeyOf(p.PrivateKey),
            new IPEndPoint(IPAddress.IPv6Loopback, p.App.WireGuard.Device.ListenPort),
            [new IPNetwork(p.App.WireGuard.Address.Address, 128)])).ToList();
        return new AppNetwork(
            Scope + role,
            name,
            new WireGuardInterfaceSpec($"wg-{name}", new WireGuardDeviceSpec(privateKey, portBase + subnet * 3 + host, peerSpecs), new InterfaceAddress(Address(subnet, host), 64), [Cluster]),
            egress,
            ruleset);
    }

    protected ConvergeReport ConvergeAndAssert(params AppNetwork[] apps)
    {
        var report = Converger.Converge(apps);
        Assert.True(report.Succeeded, string.Join("; ", report.Apps.Where(a => a.Error is not null).Select(a => $"{a.Owner}: {a.Error}").Append(report.HostError ?? "")));
        return report;
    }

    /// <summary>Runs a test-only command inside an app's namespace (ping, nc).</summary>
    protected static (int ExitCode, string Output, string Error) InNetns(string netns, string command) =>
        Ip.TryRun("ip", $"netns exec {netns} {command}");

    protected static bool Ping(string fromNetns, IPAddress to, int count = 2) =>
        InNetns(fromNetns, $"ping -{(to.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 6 : 4)} -c {count} -i 0.2 -W 2 {to}").ExitCode == 0;

    /// <summary>Sends one line over TCP from one namespace to a listener in another; returns what the listener got.</summary>
    protected static string TcpMessage(string fromNetns, string toNetns, IPAddress to, int port, string message) =>
        TcpExchange(fromNetns, toNetns, to, port, message).Received;

    /// <summary>As <see cref="TcpMessage"/>, plus the listener's own log: where the connection came from.</summary>
    protected static (string Received, string ListenerLog) TcpExchange(string fromNetns, string toNetns, IPAddress to, int port, string message) =>
        Traffic.TcpExchange(fromNetns, toNetns, to, port, message);

    protected override void CleanUp()
    {
        try
        {
            var cleanup = Converger.Converge([]);
            Assert.True(cleanup.Succeeded, cleanup.HostError);
        }
        finally
        {
            Dataplane.Dispose();
            if (launcherScript is not null)
            {
                File.Delete(launcherScript);
            }
        }
    }

    /// <summary>wireguard-go started inside the namespace playing the host, as the product starts it in its own.
    /// Test glue only: the product runs in the host namespace and needs no such wrapper.</summary>
    private string WireGuardGoLauncherIn(string netns)
    {
        launcherScript = Path.Combine(Path.GetTempPath(), $"wgisolate-test-wireguard-go-{netns}.sh");
        File.WriteAllText(launcherScript, $"#!/bin/sh\nexec ip netns exec {netns} wireguard-go \"$@\"\n");
        File.SetUnixFileMode(launcherScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return launcherScript;
    }
}
