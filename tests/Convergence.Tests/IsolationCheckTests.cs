using System.Net;
using WgIsolate.Datapath.Convergence;

namespace WgIsolate.Convergence.Tests;

public class IsolationCheckTests
{
    private readonly FakeDataplane kernel = new();
    private readonly AppNetwork app = SampleApps.Receiver(SampleApps.Egress(), "table inet f {}");

    private IReadOnlyList<string> Deviations(params int[] udpPorts) => IsolationCheck.Deviations(kernel, app, _ => udpPorts);

    public IsolationCheckTests() => Assert.True(new Converger(kernel).Converge([app]).Succeeded);

    [Fact]
    public void ConvergedApp_IsIsolated() => Assert.Empty(Deviations());

    [Fact]
    public void InterfaceAddedByHand_IsReported()
    {
        kernel.CreateVethPair("sneaky0", "sneaky1", app.Netns);

        Assert.Contains("unexpected link sneaky1 (veth)", Deviations());
    }

    [Fact]
    public void RouteAddedByHand_IsReported()
    {
        kernel.AddRoute(app.Netns, new RouteState(IPNetwork.Parse("2001:db8::/32"), app.WireGuard.Name, null, RouteOrigin.Other));

        Assert.Contains($"unexpected route 2001:db8::/32 dev {app.WireGuard.Name}", Deviations());
    }

    [Fact]
    public void RulesetFlushedByHand_IsReported()
    {
        kernel.ReplaceRuleset(app.Netns, null);

        Assert.Contains("the requested nftables ruleset is not loaded", Deviations());
    }

    [Fact]
    public void WireGuardPortBoundInsideTheNamespace_IsReported() =>
        Assert.Contains($"UDP port {app.WireGuard.Device.ListenPort} is bound inside the namespace: the WireGuard socket must stay in the host", Deviations(app.WireGuard.Device.ListenPort));

    [Fact]
    public void MissingNamespace_IsTheOnlyThingReported()
    {
        kernel.DeleteNamespace(app.Netns);

        Assert.Equal([$"namespace {app.Netns} does not exist"], Deviations());
    }
}
