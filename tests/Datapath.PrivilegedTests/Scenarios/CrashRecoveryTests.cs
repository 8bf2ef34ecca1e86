using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Linux;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Userspace;

namespace WgIsolate.Datapath.PrivilegedTests.Scenarios;

/// <summary>
/// What a crashed agent leaves on the real kernel, made with the product's own dataplane calls stopped half-way,
/// then handed to a fresh dataplane and converger: the restarted agent, which knows nothing of what went before.
/// </summary>
public class CrashRecoveryTests : ScenarioTest
{
    /// <summary>The agent before the crash: its own dataplane, whose open handles die with it.</summary>
    private static T AsCrashedAgent<T>(string natTable, Func<LinuxDataplane, T> work)
    {
        using var crashed = new LinuxDataplane(new UserspaceWireGuard(), natTable);
        return work(crashed);
    }

    private ConvergeReport ConvergeAsRestartedAgent(params AppNetwork[] apps)
    {
        using var fresh = new LinuxDataplane(new UserspaceWireGuard(), natTable: $"wgisolate_nat_{Name("r")}");
        var report = new Converger(fresh, Scope).Converge(apps);
        Assert.True(report.Succeeded, string.Join("; ", report.Apps.Select(a => a.Error).Append(report.HostError)));
        return report;
    }

    private static VethEgressSpec Veth(string name) => new(
        $"v{name}", $"e{name}",
        new VethAddressing(InterfaceAddress.Parse("fe80::1/64"), InterfaceAddress.Parse("fe80::2/64")),
        null, [], Nat: false);

    [PrivilegedFact]
    public void CrashAfterCreatingNamespaceAndLinkBeforeMarkingThem_StillDesired_IsAdoptedWithoutDuplicates()
    {
        var app = App("a", 1, 1, WireGuardKeys.GeneratePrivateKey(), []);
        AsCrashedAgent($"wgisolate_nat_{Name("c")}", crashed =>
        {
            crashed.CreateNamespace(app.Netns);
            crashed.CreateWireGuardLink(app.WireGuard.Name);
            return true;
        });

        var report = ConvergeAsRestartedAgent(app);

        var changes = report.Apps.Single().Changes;
        Assert.DoesNotContain(changes, c => c.StartsWith("created", StringComparison.Ordinal));
        Assert.Contains($"moved link {app.WireGuard.Name} into {app.Netns}", changes);
        Assert.Equal(["lo", app.WireGuard.Name], Dataplane.ListLinks(app.Netns).Select(l => l.Name).Order(StringComparer.Ordinal));
        Assert.Single(WireGuardGoProcesses.Serving(app.WireGuard.Name));
    }

    [PrivilegedFact]
    public void CrashHalfWayThroughAnAppNoLongerDesired_LeavesNothingAfterTheRestartedAgentConverges()
    {
        // One app finished, one stranded mid-creation: its marked WireGuard link never left the host, and its
        // veth host end exists. Neither app is desired any more.
        var finished = App("f", 1, 1, WireGuardKeys.GeneratePrivateKey(), []);
        var stranded = App("s", 1, 2, WireGuardKeys.GeneratePrivateKey(), [], egress: Veth(Name("s")));
        var natTable = $"wgisolate_nat_{Name("c")}";
        Assert.True(AsCrashedAgent(natTable, crashed => new Converger(crashed, Scope).Converge([finished]).Succeeded));
        AsCrashedAgent(natTable, crashed =>
        {
            crashed.CreateNamespace(stranded.Netns);
            crashed.SetLinkAlias(stranded.Netns, "lo", stranded.Alias);
            crashed.CreateWireGuardLink(stranded.WireGuard.Name);
            crashed.SetLinkAlias(null, stranded.WireGuard.Name, stranded.Alias);
            crashed.CreateVethPair(stranded.Egress!.HostInterface, stranded.Egress.AppInterface, stranded.Netns);
            crashed.SetLinkAlias(null, stranded.Egress.HostInterface, stranded.Alias);
            return true;
        });

        var report = ConvergeAsRestartedAgent();

        Assert.Contains($"namespace {finished.Netns} of {finished.Owner}", report.Removed);
        Assert.Contains($"namespace {stranded.Netns} of {stranded.Owner}", report.Removed);
        Assert.Contains($"link {stranded.WireGuard.Name} of {stranded.Owner}", report.Removed);
        Assert.DoesNotContain(Dataplane.ListNamespaces(), n => n == finished.Netns || n == stranded.Netns);
        Assert.DoesNotContain(Dataplane.ListLinks(null), l => LinkAliases.OwnerOf(l.Alias)?.StartsWith(Scope, StringComparison.Ordinal) == true);
        Assert.Empty(WireGuardGoProcesses.AfterExitOf(finished.WireGuard.Name));
        Assert.Empty(WireGuardGoProcesses.AfterExitOf(stranded.WireGuard.Name));
    }

    [PrivilegedFact]
    public void NamespaceDeletedByHand_IsMadeAgainAndWorks_NotConfusedWithTheDeadOne()
    {
        var receiverKey = WireGuardKeys.GeneratePrivateKey();
        var senderKey = WireGuardKeys.GeneratePrivateKey();
        var bareSender = App("s", 1, 2, senderKey, []);
        var receiver = App("r", 1, 1, receiverKey, [(bareSender, senderKey)]);
        var sender = App("s", 1, 2, senderKey, [(receiver, receiverKey)]);
        ConvergeAndAssert(receiver, sender);

        Ip.Run("ip", $"netns del {receiver.Netns}");
        var report = ConvergeAndAssert(receiver, sender);

        Assert.Contains($"created namespace {receiver.Netns}", report.Apps.Single(a => a.Owner == receiver.Owner).Changes);
        Assert.Equal(["lo", receiver.WireGuard.Name], Ip.Json(receiver.Netns, "link show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()).Order(StringComparer.Ordinal));
        Assert.True(Ping(sender.Netns, receiver.WireGuard.Address.Address), "the re-made receiver must answer");
    }
}
