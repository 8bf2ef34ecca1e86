using System.Net;
using System.Net.Sockets;
using WgIsolate.Datapath.Ingress;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests.Ingress;

public class IngressSetTests : IngressTest
{
    [PrivilegedFact]
    public void Reconcile_SameRulesTwice_KeepsTheRunningForwarders()
    {
        using var set = new IngressSet();
        IngressRule[] rules = [Rule(IngressTransport.Tcp), Rule(IngressTransport.Udp)];
        var first = set.Reconcile(rules);
        var running = set.Running;

        var second = set.Reconcile(rules);

        Assert.Equal(rules, first.Started);
        Assert.False(second.Changed);
        Assert.Equal(rules, second.Kept);
        Assert.Equal(running, set.Running);
    }

    [PrivilegedFact]
    public void Reconcile_RuleRemoved_StopsItAndFreesItsPort()
    {
        using var set = new IngressSet();
        set.Reconcile([Rule(IngressTransport.Tcp), Rule(IngressTransport.Udp)]);

        var result = set.Reconcile([Rule(IngressTransport.Udp)]);

        Assert.Equal([Rule(IngressTransport.Tcp)], result.Stopped);
        Assert.True(IsFree(HostPort, SocketType.Stream, ProtocolType.Tcp));
        Assert.False(IsFree(HostPort, SocketType.Dgram, ProtocolType.Udp));
    }

    [PrivilegedFact]
    public void Reconcile_PortMovesToAnotherApp_StopsTheOldOwnerBeforeStartingTheNew()
    {
        using var set = new IngressSet();
        set.Reconcile([Rule(IngressTransport.Tcp, "demo/old")]);

        var result = set.Reconcile([Rule(IngressTransport.Tcp, "demo/new")]);

        Assert.Empty(result.Failures);
        Assert.Equal("demo/new", Assert.Single(set.Running).Rule.Owner);
    }

    [PrivilegedFact]
    public void Reconcile_OneAppsPortIsTaken_ThatAppGetsNoneOfItsNewRulesAndOthersAreUnaffected()
    {
        var otherNetns = CreateNamespace("o");
        var otherPort = HostPort + 1;
        using var squatter = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.IPv6Any, HostPort));
        using var set = new IngressSet();
        var other = new IngressRule("demo/other", otherNetns, IngressTransport.Tcp, otherPort, AppPort);

        var result = set.Reconcile([Rule(IngressTransport.Tcp), Rule(IngressTransport.Udp), other]);

        var failure = Assert.Single(result.Failures);
        Assert.Equal($"ingress demo/receiver: host port {HostPort}/udp is already in use (EADDRINUSE)", failure.Message);
        Assert.Equal(["demo/receiver"], result.FailedOwners);
        Assert.Equal([other], result.Started);
        Assert.True(IsFree(HostPort, SocketType.Stream, ProtocolType.Tcp), "the app's TCP rule was rolled back");
        Assert.Equal([other], set.Running.Select(f => f.Rule));
    }

    [PrivilegedFact]
    public void Dispose_StopsEveryForwarder()
    {
        var set = new IngressSet();
        set.Reconcile([Rule(IngressTransport.Tcp), Rule(IngressTransport.Udp)]);

        set.Dispose();

        Assert.True(IsFree(HostPort, SocketType.Stream, ProtocolType.Tcp));
        Assert.True(IsFree(HostPort, SocketType.Dgram, ProtocolType.Udp));
    }
}
