using System.Net;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.Datapath.PrivilegedTests.Scenarios;

/// <summary>The seed's demo: receiver (::1) and sender (::2) in one /64, each with only lo and its WireGuard link.</summary>
public class SeedDemoTests : ScenarioTest
{
    private readonly string receiverKey = WireGuardKeys.GeneratePrivateKey();
    private readonly string senderKey = WireGuardKeys.GeneratePrivateKey();
    private AppNetwork receiver = null!;
    private AppNetwork sender = null!;

    private void Build(string? receiverRuleset = null)
    {
        var bareSender = App("s", 1, 2, senderKey, []);
        receiver = App("r", 1, 1, receiverKey, [(bareSender, senderKey)], ruleset: receiverRuleset);
        sender = App("s", 1, 2, senderKey, [(receiver, receiverKey)]);
    }

    [PrivilegedFact]
    public void Demo_SenderReachesReceiverOverWireGuard_ByPingAndTcp()
    {
        Build();
        ConvergeAndAssert(receiver, sender);

        Assert.Equal(["lo", receiver.WireGuard.Name], Dataplane.ListLinks(receiver.Netns).Select(l => l.Name).Order());
        Assert.Equal(["lo", sender.WireGuard.Name], Dataplane.ListLinks(sender.Netns).Select(l => l.Name).Order());
        Assert.True(Ping(sender.Netns, receiver.WireGuard.Address.Address), "sender could not ping receiver over WireGuard");
        Assert.Equal("hello", TcpMessage(sender.Netns, receiver.Netns, receiver.WireGuard.Address.Address, 2345, "hello"));

        var readBack = Dataplane.ReadWireGuard(receiver.Netns, receiver.WireGuard.Name);
        var peer = Assert.Single(readBack.Peers);
        Assert.Equal(WireGuardKeys.PublicKeyOf(senderKey), peer.PublicKey);
        Assert.NotNull(peer.LastHandshake);
        Assert.True(peer.ReceivedBytes > 0 && peer.TransmittedBytes > 0, $"counters rx {peer.ReceivedBytes} tx {peer.TransmittedBytes}");
    }

    [PrivilegedFact]
    public void Demo_WireGuardSocketStaysInTheHost_NotInTheAppNamespace()
    {
        Build();
        ConvergeAndAssert(receiver, sender);

        Assert.DoesNotContain(receiver.WireGuard.Device.ListenPort, Dataplane.ListUdpPorts(receiver.Netns));
        var hostSockets = Ip.Run("ss", $"-Hlun sport = :{receiver.WireGuard.Device.ListenPort}");
        Assert.Contains($":{receiver.WireGuard.Device.ListenPort}", hostSockets);
    }

    [PrivilegedFact]
    public void Demo_WgShowAndIproute2_ReportExactlyTheDesiredConfiguration()
    {
        Build();
        ConvergeAndAssert(receiver, sender);

        // wg show dump: first line "private public port fwmark", then one line per peer.
        var dump = Ip.Run("wg", $"show {receiver.WireGuard.Name} dump").Trim().Split('\n').Select(l => l.Split('\t')).ToList();
        Assert.Equal(WireGuardKeys.PublicKeyOf(receiverKey), dump[0][1]);
        Assert.Equal(receiver.WireGuard.Device.ListenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), dump[0][2]);
        var peer = Assert.Single(dump.Skip(1));
        Assert.Equal([WireGuardKeys.PublicKeyOf(senderKey), $"[::1]:{sender.WireGuard.Device.ListenPort}", $"{sender.WireGuard.Address.Address}/128"], new[] { peer[0], peer[2], peer[3] });

        var addresses = Ip.Json(receiver.Netns, $"addr show dev {receiver.WireGuard.Name}")[0].GetProperty("addr_info").EnumerateArray()
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").Where(a => !a.StartsWith("fe80", StringComparison.Ordinal));
        Assert.Equal([receiver.WireGuard.Address.ToString()], addresses);
        var routes = Ip.Json(receiver.Netns, "-6 route show proto 87").EnumerateArray().Select(r => $"{r.GetProperty("dst").GetString()} {r.GetProperty("dev").GetString()}");
        Assert.Equal([$"{Cluster} {receiver.WireGuard.Name}"], routes);
        var ownRead = Dataplane.ReadWireGuard(receiver.Netns, receiver.WireGuard.Name);
        Assert.Equal(dump[0][1], ownRead.PublicKey);
        Assert.Equal([new IPNetwork(sender.WireGuard.Address.Address, 128)], ownRead.Peers.Single().AllowedIPs);
    }

    [PrivilegedFact]
    public void Converge_SecondRun_ChangesNothing()
    {
        Build();
        ConvergeAndAssert(receiver, sender);

        var again = ConvergeAndAssert(receiver, sender);

        Assert.False(again.Changed, string.Join("; ", again.Apps.SelectMany(a => a.Changes).Concat(again.HostChanges)));
    }

    [PrivilegedFact]
    public void Remove_BothApps_LeavesNoNamespaceLinkOrProcess()
    {
        Build();
        ConvergeAndAssert(receiver, sender);

        ConvergeAndAssert();

        Assert.DoesNotContain(receiver.Netns, Dataplane.ListNamespaces());
        Assert.DoesNotContain(sender.Netns, Dataplane.ListNamespaces());
        Assert.DoesNotContain(Dataplane.ListLinks(null), l => l.Name == receiver.WireGuard.Name || l.Name == sender.WireGuard.Name);
        for (var i = 0; i < 50 && File.Exists($"/var/run/wireguard/{receiver.WireGuard.Name}.sock"); i++)
        {
            Thread.Sleep(100);
        }

        Assert.False(File.Exists($"/var/run/wireguard/{receiver.WireGuard.Name}.sock"), "wireguard-go is still serving the removed device");
    }
}
