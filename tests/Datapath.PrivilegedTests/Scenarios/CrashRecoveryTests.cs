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
        Dataplane.CreateNamespace(app.Netns);
        Dataplane.CreateWireGuardLink(app.WireGuard.Name);

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
        ConvergeAndAssert(finished);
        var stranded = App("s", 1, 2, WireGuardKeys.GeneratePrivateKey(), [], egress: Veth(Name("s")));
        Dataplane.CreateNamespace(stranded.Netns);
        Dataplane.SetLinkAlias(stranded.Netns, "lo", stranded.Alias);
        Dataplane.CreateWireGuardLink(stranded.WireGuard.Name);
        Dataplane.SetLinkAlias(null, stranded.WireGuard.Name, stranded.Alias);
        Dataplane.CreateVethPair(stranded.Egress!.HostInterface, stranded.Egress.AppInterface, stranded.Netns);
        Dataplane.SetLinkAlias(null, stranded.Egress.HostInterface, stranded.Alias);

        var report = ConvergeAsRestartedAgent();

        Assert.Contains($"namespace {finished.Netns} of {finished.Owner}", report.Removed);
        Assert.Contains($"namespace {stranded.Netns} of {stranded.Owner}", report.Removed);
        Assert.Contains($"link {stranded.WireGuard.Name} of {stranded.Owner}", report.Removed);
        Assert.DoesNotContain(Dataplane.ListNamespaces(), n => n == finished.Netns || n == stranded.Netns);
        Assert.DoesNotContain(Dataplane.ListLinks(null), l => LinkAliases.OwnerOf(l.Alias)?.StartsWith(Scope, StringComparison.Ordinal) == true);
        Assert.Empty(WireGuardGoProcesses.AfterExitOf(finished.WireGuard.Name));
        Assert.Empty(WireGuardGoProcesses.AfterExitOf(stranded.WireGuard.Name));
    }
}
