using System.CommandLine;
using System.Net;
using WgIsolate.Core.Allocation;
using WgIsolate.Core.Api;
using WgIsolate.Core.Manifests;
using WgIsolate.Core.Validation;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.NodeAgent.Cli;
using WgIsolate.NodeAgent.HostMode.Planning;
using WgIsolate.NodeAgent.HostMode.Units;

namespace WgIsolate.NodeAgent.Tests;

public class PlanTests
{
    private static string Examples => Path.Combine(FindRoot(), "examples", "receiver-sender");

    [Fact]
    public void HostPlanner_Example_LinksReceiverAndSenderOnlyAndMapsNamesAndAddresses()
    {
        var set = ManifestLoader.Load(Directory.GetFiles(Examples, "*.yaml").Select(f => (f, File.ReadAllText(f))), ValidationOptions.HostMode);
        var allocator = new Allocator(new AllocationState { ClusterPrefix = "fd00:1:2::/48" });

        var plan = HostPlanner.Plan(set.Apps, allocator, IPAddress.IPv6Loopback, _ => WireGuardKeys.GeneratePrivateKey(), _ => WireGuardKeys.GeneratePresharedKey());

        var receiver = plan.Apps.Single(a => a.App.Name == "receiver");
        Assert.Equal("receiver", receiver.Network.Netns);
        Assert.Equal("wg-receiver", receiver.Network.WireGuard.Name);
        Assert.Equal(51820, receiver.Network.WireGuard.Device.ListenPort);
        Assert.Equal("[::1]:51821", receiver.Network.WireGuard.Device.Peers.Single().Endpoint!.ToString());
        Assert.Equal([PeerStates.Connected], receiver.Peers.Select(p => p.State));
        var outsider = plan.Apps.Single(a => a.App.Name == "outsider");
        Assert.Empty(outsider.Network.WireGuard.Device.Peers);
        Assert.Equal([PeerStates.WaitingForAcceptance], outsider.Peers.Select(p => p.State));
        Assert.Equal(3, plan.Apps.Select(a => a.Network.WireGuard.Address.Network).Distinct().Count());
    }

    [Fact]
    public void PlanCommand_InvalidFolder_ListsEveryProblemAndExitsTwo()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "bad.yaml"), "apiVersion: wgisolate.io/v1alpha1\nkind: IsolatedApp\nmetadata: {name: a}\nspec: {listenPort: 0, egres: {}}\n");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = new RootCommand { PlanCommand.Create() }.Parse(["plan", "--manifests", dir.Path, "--state", dir.Path])
            .Invoke(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("spec.egres: unknown field", error.ToString());
        Assert.Contains("spec.listenPort: 0 is outside 1..65535", error.ToString());
        Assert.Contains("2 problem(s) in 1 file(s): nothing was applied", error.ToString());
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void PlanCommand_Example_PrintsTheTableAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();

        var code = new RootCommand { PlanCommand.Create() }.Parse(["plan", "--manifests", Examples, "--state", dir.Path, "--endpoint-address", "::1"])
            .Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches(@"demo/receiver\s+/run/netns/receiver\s+wg-receiver\s+fd[0-9a-f:]+/64\s+51820\s+sender \(Connected\)", output.ToString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void WorkloadUnits_JoinTheNamespaceAndFollowTheAgent()
    {
        var dropIn = WorkloadUnits.SystemdDropIn("receiver", "/run/netns/receiver", "/etc/netns/receiver/resolv.conf");
        var quadlet = WorkloadUnits.QuadletContainer("receiver", "/run/netns/receiver");

        Assert.Contains("NetworkNamespacePath=/run/netns/receiver", dropIn);
        Assert.Contains("BindsTo=wgisolate.service", dropIn);
        Assert.Contains("BindReadOnlyPaths=/etc/netns/receiver/resolv.conf:/etc/resolv.conf", dropIn);
        Assert.Contains("Network=ns:/run/netns/receiver", quadlet);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WgIsolate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("WgIsolate.sln not found");
    }
}
