using System.Net;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.Datapath.PrivilegedTests.Scenarios;

/// <summary>Isolation proven with traffic, and the per-app nftables ruleset as the converger loads it.</summary>
public class FirewallAndIsolationTests : ScenarioTest
{
    private const string DropTcp1234 = """
        table inet filter {
          chain input {
            type filter hook input priority 0; policy accept;
            tcp dport 1234 drop
          }
        }
        """;

    private readonly string receiverKey = WireGuardKeys.GeneratePrivateKey();
    private readonly string senderKey = WireGuardKeys.GeneratePrivateKey();

    private (AppNetwork Receiver, AppNetwork Sender) Pair(string? receiverRuleset)
    {
        var bareSender = App("s", 1, 2, senderKey, []);
        var receiver = App("r", 1, 1, receiverKey, [(bareSender, senderKey)], ruleset: receiverRuleset);
        return (receiver, App("s", 1, 2, senderKey, [(receiver, receiverKey)]));
    }

    [PrivilegedFact]
    public void Ruleset_DroppingTcp1234_BlocksTheMessageWhilePingStillWorks()
    {
        var (receiver, sender) = Pair(DropTcp1234);
        ConvergeAndAssert(receiver, sender);

        Assert.True(Ping(sender.Netns, receiver.WireGuard.Address.Address), "ping must still work");
        Assert.Equal("", TcpMessage(sender.Netns, receiver.Netns, receiver.WireGuard.Address.Address, 1234, "blocked"));
        Assert.Equal("open", TcpMessage(sender.Netns, receiver.Netns, receiver.WireGuard.Address.Address, 1235, "open"));
        Assert.Contains("tcp dport 1234 drop", Ip.Run("ip", $"netns exec {receiver.Netns} nft list ruleset"));
    }

    [PrivilegedFact]
    public void Ruleset_WithASyntaxError_IsRefusedWithNftsMessageAndTheOldOneStays()
    {
        var (receiver, sender) = Pair(DropTcp1234);
        ConvergeAndAssert(receiver, sender);

        var (broken, _) = Pair("table inet filter { chain input { tcp dport 1234 dorp } }");
        var report = Converger.Converge([broken, sender]);

        var error = report.Apps.Single(a => a.Owner == broken.Owner).Error;
        Assert.NotNull(error);
        Assert.Contains("loading the ruleset of", error);
        Assert.Contains("Error", error);
        Assert.Equal(RulesetHash.Of(DropTcp1234), Dataplane.LoadedRulesetHash(receiver.Netns));
        Assert.Equal("", TcpMessage(sender.Netns, receiver.Netns, receiver.WireGuard.Address.Address, 1234, "still-blocked"));
    }

    [PrivilegedFact]
    public void Ruleset_ChangedByHand_IsLoadedAgainOnTheNextConvergence()
    {
        var (receiver, sender) = Pair(DropTcp1234);
        ConvergeAndAssert(receiver, sender);
        Ip.Run("ip", $"netns exec {receiver.Netns} nft flush chain inet filter input");

        var report = ConvergeAndAssert(receiver, sender);

        Assert.Contains($"loaded the ruleset of {receiver.Netns}", report.Apps.Single(a => a.Owner == receiver.Owner).Changes);
        Assert.Contains("tcp dport 1234 drop", Ip.Run("ip", $"netns exec {receiver.Netns} nft list ruleset"));
    }

    [PrivilegedFact]
    public void NonPeer_CannotReachEitherApp()
    {
        var (receiver, sender) = Pair(null);
        var outsiderKey = WireGuardKeys.GeneratePrivateKey();
        // The outsider lists the receiver; the receiver does not list it back, so there is no link.
        var outsider = App("o", 2, 1, outsiderKey, [(receiver, receiverKey)]);
        ConvergeAndAssert(receiver, sender, outsider);

        Assert.True(Ping(sender.Netns, receiver.WireGuard.Address.Address), "the peers themselves must talk");
        Assert.False(Ping(outsider.Netns, receiver.WireGuard.Address.Address, count: 1), "a non-peer reached the receiver");
        Assert.False(Ping(outsider.Netns, sender.WireGuard.Address.Address, count: 1), "a non-peer reached the sender");
        Assert.False(Ping(receiver.Netns, outsider.WireGuard.Address.Address, count: 1), "the receiver reached a non-peer");
    }

    [PrivilegedFact]
    public void App_WithoutEgress_CannotReachAnythingOutsideTheCluster()
    {
        var (receiver, sender) = Pair(null);
        ConvergeAndAssert(receiver, sender);

        // Only the cluster /48 is routed, through WireGuard: anything else is refused inside the namespace
        // (ENETUNREACH), so not a single packet leaves it.
        foreach (var outside in new[] { "-6 2001:db8::1", "-4 192.0.2.1" })
        {
            var (exitCode, output, error) = InNetns(receiver.Netns, $"ping {outside.Split(' ')[0]} -c 1 -W 1 {outside.Split(' ')[1]}");
            Assert.NotEqual(0, exitCode);
            Assert.Contains("unreachable", (output + error).ToLowerInvariant());
        }

        // The machine's own addresses are no exception: the host is just another outside address.
        var hostAddresses = Dataplane.ListLinks(null)
            .SelectMany(l => Dataplane.ListAddresses(null, l.Name))
            .Select(a => a.Address)
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
            .ToList();
        Assert.NotEmpty(hostAddresses);
        foreach (var address in hostAddresses)
        {
            Assert.False(Ping(receiver.Netns, address, count: 1), $"an app without egress reached the host's {address}");
            Assert.False(Ping(sender.Netns, address, count: 1), $"an app without egress reached the host's {address}");
        }

        Assert.Equal(["lo", receiver.WireGuard.Name], Dataplane.ListLinks(receiver.Netns).Select(l => l.Name).Order());
    }
}
