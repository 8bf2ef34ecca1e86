using System.Net;
using WgIsolate.Datapath.Convergence;

using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Convergence.Tests;

public class ConvergerTests
{
    private readonly FakeDataplane kernel = new();

    private ConvergeReport Converge(params AppNetwork[] apps) => new Converger(kernel).Converge(apps);

    [Fact]
    public void Converge_FreshHost_BuildsNamespaceWithOnlyLoAndWireGuardLink()
    {
        var report = Converge(SampleApps.Receiver());

        Assert.True(report.Succeeded, report.Apps[0].Error);
        Assert.Equal(
            """
            host
            netns receiver
              link lo loopback up alias=wgisolate:demo/receiver addr=
              link wg-receiver wireguard up alias=wgisolate:demo/receiver addr=fd00:1:2:1::1/64 port=51820 peers=sender-public@[::1]:51821[fd00:1:2:1::2/128]
              route fd00:1:2:1::/64 dev wg-receiver proto Kernel
              route fd00:1:2::/48 dev wg-receiver proto WgIsolate
              sysctl net/ipv4/ip_unprivileged_port_start=0
              sysctl net/ipv6/conf/all/accept_dad=0
              sysctl net/ipv6/conf/default/accept_dad=0

            """.ReplaceLineEndings("\n"),
            kernel.Dump());
    }

    [Fact]
    public void Converge_LinkIsCreatedInHostThenMoved_SoItsSocketStaysInTheHost()
    {
        Converge(SampleApps.Receiver());

        var create = kernel.Mutations.IndexOf("wg add wg-receiver");
        var move = kernel.Mutations.IndexOf("move wg-receiver receiver");
        var address = kernel.Mutations.IndexOf("addr add receiver/wg-receiver fd00:1:2:1::1/64");
        Assert.True(create >= 0 && create < move && move < address, string.Join("\n", kernel.Mutations));
    }

    [Fact]
    public void Converge_SecondRun_ChangesNothingAndSaysSo()
    {
        Converge(SampleApps.Receiver(SampleApps.Egress(), "table inet filter {}"), SampleApps.Sender());
        var before = kernel.Mutations.Count;

        var report = Converge(SampleApps.Receiver(SampleApps.Egress(), "table inet filter {}"), SampleApps.Sender());

        Assert.False(report.Changed);
        Assert.All(report.Apps, a => Assert.Empty(a.Changes));
        Assert.Equal(before, kernel.Mutations.Count);
    }

    [Fact]
    public void Converge_PeerChange_SyncsOnlyThatDevice()
    {
        Converge(SampleApps.Receiver(), SampleApps.Sender());
        var syncs = kernel.WireGuardSyncs;
        var sender = SampleApps.Sender();
        var moved = sender with
        {
            WireGuard = sender.WireGuard with
            {
                Device = sender.WireGuard.Device with { Peers = [SampleApps.Peer("receiver-public", "[::1]:51999", "fd00:1:2:1::1/128")] },
            },
        };

        var report = Converge(SampleApps.Receiver(), moved);

        Assert.Equal(syncs + 1, kernel.WireGuardSyncs);
        Assert.Equal(["configured wg-sender"], report.Apps.Single(a => a.Owner == "demo/sender").Changes);
        Assert.Empty(report.Apps.Single(a => a.Owner == "demo/receiver").Changes);
    }

    [Fact]
    public void Converge_AppNoLongerDesired_RemovesItsNamespaceAndLeavesNothing()
    {
        Converge(SampleApps.Receiver(SampleApps.Egress()), SampleApps.Sender());

        var report = Converge(SampleApps.Sender());

        Assert.Contains("namespace receiver of demo/receiver", report.Removed);
        Assert.Equal(["sender"], kernel.ListNamespaces());
        Assert.DoesNotContain("netns receiver", kernel.Dump());
        Assert.DoesNotContain("veth1-receiver", kernel.Dump());
    }

    [Fact]
    public void Converge_Nothing_RemovesEveryManagedObjectButNotForeignOnes()
    {
        Converge(SampleApps.Receiver(SampleApps.Egress()), SampleApps.Sender());
        kernel.Tamper(k => k.CreateNamespace("someone-elses"));

        Converge();

        Assert.Equal(["someone-elses"], kernel.ListNamespaces());
        Assert.Empty(kernel.ListLinks(null));
        Assert.Empty(kernel.ReadHostNat());
    }

    [Fact]
    public void Converge_NamespaceOfSomethingElse_IsRefusedAndLeftAlone()
    {
        kernel.Tamper(k => k.CreateNamespace("receiver"));
        kernel.Tamper(k => k.CreateVethPair("x0", "x1", "receiver"));

        var report = Converge(SampleApps.Receiver());

        Assert.Equal("namespace receiver exists and belongs to something other than WgIsolate", report.Apps[0].Error);
        Assert.Equal(["lo", "x1"], kernel.ListLinks("receiver").Select(l => l.Name));
    }

    [Fact]
    public void Converge_HostLinkNameTakenByConfiguredLink_FailsThatAppOnly()
    {
        kernel.Tamper(k => k.CreateWireGuardLink("wg-receiver"));
        kernel.Tamper(k => k.AddAddress(null, "wg-receiver", InterfaceAddress.Parse("10.9.0.1/24")));

        var report = Converge(SampleApps.Receiver(), SampleApps.Sender());

        Assert.Equal("link wg-receiver exists in the host namespace and belongs to something other than WgIsolate", report.Apps[0].Error);
        Assert.Null(report.Apps[1].Error);
        Assert.Contains("wg-sender", kernel.ListLinks("sender").Select(l => l.Name));
    }

    [Fact]
    public void Converge_UnmarkedUnconfiguredLinkOfTheDesiredName_IsAdopted()
    {
        kernel.Tamper(k => k.CreateWireGuardLink("wg-receiver"));

        var report = Converge(SampleApps.Receiver());

        Assert.True(report.Succeeded);
        Assert.DoesNotContain(kernel.Mutations, m => m.StartsWith("wg add", StringComparison.Ordinal));
        Assert.Contains("wg-receiver", kernel.ListLinks("receiver").Select(l => l.Name));
    }

    [Fact]
    public void Converge_HandMadeInterfaceAndRouteInApp_AreRemoved()
    {
        Converge(SampleApps.Receiver());
        kernel.Tamper(k => k.CreateVethPair("sneaky0", "sneaky1", "receiver"));
        kernel.Tamper(k => k.AddRoute("receiver", new RouteState(IPNetwork.Parse("::/0"), "wg-receiver", null, RouteOrigin.Other)));

        var report = Converge(SampleApps.Receiver());

        Assert.Contains("removed unexpected link sneaky1 from receiver", report.Apps[0].Changes);
        Assert.Contains("removed route ::/0 dev wg-receiver in receiver", report.Apps[0].Changes);
        Assert.Equal(["lo", "wg-receiver"], kernel.ListLinks("receiver").Select(l => l.Name));
        Assert.Empty(kernel.ListLinks(null));
    }

    [Fact]
    public void Converge_Egress_BuildsVethAddressesRoutesAndNat()
    {
        Converge(SampleApps.Receiver(SampleApps.Egress()));

        var dump = kernel.Dump();
        Assert.Contains("link veth1-receiver veth up alias=wgisolate:demo/receiver addr=172.25.1.1/30,fe80::1/64", dump);
        Assert.Contains("link veth2-receiver veth up alias=wgisolate:demo/receiver addr=172.25.1.2/30,fe80::2/64", dump);
        Assert.Contains("route ::/0 dev veth2-receiver via fe80::1 proto WgIsolate", dump);
        Assert.Contains("route 0.0.0.0/0 dev veth2-receiver via 172.25.1.1 proto WgIsolate", dump);
        Assert.Contains("route fd00:1:2:1::1/128 dev veth1-receiver via fe80::2 proto WgIsolate", dump);
        Assert.Contains("sysctl net/ipv4/ip_forward=1", dump);
        Assert.Equal(
            ["172.25.1.0/30 from veth1-receiver", "fd00:1:2:1::1/128 from veth1-receiver"],
            kernel.ReadHostNat().Select(n => $"{n.Source} from {n.HostInterface}"));
    }

    [Fact]
    public void Converge_EgressDropped_RemovesVethRoutesAndNat()
    {
        Converge(SampleApps.Receiver(SampleApps.Egress()));

        Converge(SampleApps.Receiver());

        Assert.Equal(["lo", "wg-receiver"], kernel.ListLinks("receiver").Select(l => l.Name));
        Assert.Empty(kernel.ListLinks(null));
        Assert.Empty(kernel.ReadHostNat());
        Assert.DoesNotContain("veth", kernel.Dump());
        Assert.DoesNotContain("0.0.0.0/0", kernel.Dump());
    }

    [Fact]
    public void Converge_RulesetChanged_ReloadsOnlyThen()
    {
        Converge(SampleApps.Receiver(ruleset: "table inet a {}"));
        Converge(SampleApps.Receiver(ruleset: "table inet a {}"));
        var loads = kernel.Mutations.Count(m => m == "nft receiver");

        var report = Converge(SampleApps.Receiver(ruleset: "table inet b {}"));
        Converge(SampleApps.Receiver());

        Assert.Equal(1, loads);
        Assert.Contains("loaded the ruleset of receiver", report.Apps[0].Changes);
        Assert.Null(kernel.LoadedRulesetHash("receiver"));
    }

    [Fact]
    public void Converge_ConflictingDesiredSet_TouchesNothing()
    {
        var clash = SampleApps.App("other", "fd00:1:2:2::1/64", 51820, null, null);

        var error = Assert.Throws<InvalidOperationException>(() => Converge(SampleApps.Receiver(), clash));

        Assert.Contains("listen port 51820 is claimed by demo/receiver and demo/other", error.Message);
        Assert.Empty(kernel.Mutations);
    }

    [Fact]
    public void Converge_InvalidLinkName_TouchesNothing()
    {
        var app = SampleApps.Receiver();
        var tooLong = app with { WireGuard = app.WireGuard with { Name = "wg-a-name-too-long" } };

        var error = Assert.Throws<InvalidOperationException>(() => Converge(tooLong));

        Assert.Contains("\"wg-a-name-too-long\" is not a valid link name", error.Message);
        Assert.Empty(kernel.Mutations);
    }
}

public class SecretRedactionTests
{
    [Fact]
    public void AppNetwork_ToString_NeverShowsPrivateOrPresharedKeys()
    {
        var app = SampleApps.Receiver();
        var withPsk = app with
        {
            WireGuard = app.WireGuard with
            {
                Device = app.WireGuard.Device with { Peers = [app.WireGuard.Device.Peers[0] with { PresharedKey = "psk-secret-value" }] },
            },
        };

        var text = withPsk.ToString();

        Assert.DoesNotContain("receiver-private", text);
        Assert.DoesNotContain("psk-secret-value", text);
        Assert.Contains("sender-public", text);
        Assert.Contains("ListenPort = 51820", text);
    }

    [Fact]
    public void Remove_OneOwner_TakesItsNamespaceHostEndAndNatAndLeavesTheOtherAppUntouched()
    {
        var kernel = new FakeDataplane();
        var receiver = SampleApps.Receiver(SampleApps.Egress());
        var sender = SampleApps.Sender();
        Assert.True(new Converger(kernel).Converge([receiver, sender]).Succeeded);
        var before = kernel.Mutations.Count;

        var report = new Converger(kernel).Remove(new HashSet<string> { receiver.Owner });

        Assert.True(report.Succeeded, report.HostError);
        Assert.Equal([sender.Netns], kernel.ListNamespaces());
        Assert.DoesNotContain(kernel.ListLinks(null), l => l.Name == receiver.Egress!.HostInterface);
        Assert.Empty(kernel.ReadHostNat());
        Assert.DoesNotContain(kernel.Mutations.Skip(before), m => m.Contains(sender.Netns, StringComparison.Ordinal));
    }
}
