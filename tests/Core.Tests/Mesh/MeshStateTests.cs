using WgIsolate.Core.Api;
using WgIsolate.Core.Mesh;
using static WgIsolate.Core.Tests.Mesh.MeshFixtures;

namespace WgIsolate.Core.Tests.Mesh;

public class MeshStateTests
{
    private static MeshApp Receiver(params string[] peers) =>
        App("receiver", 1, peers, Instance("receiver-0", "node-1", 1, 1, 51820));

    private static MeshApp Sender(params string[] peers) =>
        App("sender", 2, peers, Instance("sender-0", "node-2", 2, 1, 51821), Instance("sender-1", "node-1", 2, 2, 51822));

    [Fact]
    public void Build_MutualConsent_EachInstancePeersWithEveryInstanceOfTheOtherApp()
    {
        var mesh = MeshState.Build(Options, [Receiver("sender"), Sender("receiver")]);

        var receiver = mesh.NodeSpec("node-1").Interfaces.Single(i => i.Instance == "receiver-0");
        Assert.Equal("fd00:1:2:1::1/64", receiver.Address);
        Assert.Equal(
            ["sender-0 sender-0-key 192.0.2.20:51821 fd00:1:2:2::1/128", "sender-1 sender-1-key [2001:db8::10]:51822 fd00:1:2:2::2/128"],
            receiver.Peers.Select(p => $"{p.Instance} {p.PublicKey} {p.Endpoint} {string.Join(",", p.AllowedIPs)}"));
        var sender = mesh.NodeSpec("node-2").Interfaces.Single();
        Assert.Equal(["receiver-0"], sender.Peers.Select(p => p.Instance));
        Assert.Equal("fd00:1:2::/48", mesh.NodeSpec("node-2").ClusterPrefix);
    }

    [Fact]
    public void Build_OneSidedListing_NoLinkAndWaitingForAcceptance()
    {
        var mesh = MeshState.Build(Options, [Receiver("sender", "ghost"), Sender()]);

        Assert.All(mesh.Nodes.SelectMany(n => mesh.NodeSpec(n).Interfaces), i => Assert.Empty(i.Peers));
        Assert.Equal(
            [("ghost", PeerStates.NotFound), ("sender", PeerStates.WaitingForAcceptance)],
            mesh.PeerStates(Ref("receiver")).Select(p => (p.Name, p.State)));
    }

    [Fact]
    public void Build_PeerInOtherNamespace_IsMatchedByNamespace()
    {
        var other = new MeshApp(Ref("db", "prod"), new IsolatedAppSpec { Peers = [new PeerReference { Name = "receiver", Namespace = "demo" }] }, 3,
            [Instance("db-0", "node-2", 3, 1, 51830)]);
        var receiver = new MeshApp(Ref("receiver"), new IsolatedAppSpec { Peers = [new PeerReference { Name = "db", Namespace = "prod" }] }, 1,
            [Instance("receiver-0", "node-1", 1, 1, 51820)]);

        var mesh = MeshState.Build(Options, [receiver, other]);

        Assert.Equal(PeerStates.Connected, mesh.PeerStates(Ref("receiver")).Single().State);
        Assert.Equal(Ref("db", "prod"), mesh.NodeSpec("node-1").Interfaces.Single().Peers.Single().App);
    }

    [Fact]
    public void Build_PeerWithoutPublicKeyYet_IsLeftOut()
    {
        var sender = App("sender", 2, ["receiver"], Instance("sender-0", "node-2", 2, 1, 51821, keyed: false));

        var mesh = MeshState.Build(Options, [Receiver("sender"), sender]);

        Assert.Empty(mesh.NodeSpec("node-1").Interfaces.Single().Peers);
        Assert.Equal(PeerStates.Connected, mesh.PeerStates(Ref("receiver")).Single().State);
    }

    [Fact]
    public void Build_UnknownNodeAddress_PeerHasNoEndpoint()
    {
        var sender = App("sender", 2, ["receiver"], Instance("sender-0", "node-9", 2, 1, 51821));

        var mesh = MeshState.Build(Options, [Receiver("sender"), sender]);

        Assert.Null(mesh.NodeSpec("node-1").Interfaces.Single().Peers.Single().Endpoint);
    }

    [Fact]
    public void Build_EitherSideAsksForPsk_BothEndsReferenceTheSameKey()
    {
        var receiver = Receiver("sender") with { Spec = new IsolatedAppSpec { Peers = [new PeerReference { Name = "sender" }], PresharedKey = true } };

        var mesh = MeshState.Build(Options, [receiver, Sender("receiver")]);

        var fromReceiver = mesh.NodeSpec("node-1").Interfaces.Single(i => i.Instance == "receiver-0").Peers.Single(p => p.Instance == "sender-0").PresharedKeyRef!;
        var fromSender = mesh.NodeSpec("node-2").Interfaces.Single().Peers.Single().PresharedKeyRef!;
        Assert.Equal("wgisolate-psk", fromReceiver.Name);
        Assert.Equal(fromReceiver.Key, fromSender.Key);
        Assert.Matches("^psk-[0-9a-f]{32}$", fromReceiver.Key);
    }

    [Fact]
    public void Upsert_AppDropsItsPeer_LinkDisappearsOnBothSides()
    {
        var mesh = MeshState.Build(Options, [Receiver("sender"), Sender("receiver")]);

        var update = mesh.Upsert(Sender());

        Assert.All(mesh.Nodes.SelectMany(n => mesh.NodeSpec(n).Interfaces), i => Assert.Empty(i.Peers));
        Assert.Equal(["node-1", "node-2"], update.TouchedNodes.Order());
        Assert.Contains(Ref("receiver"), update.AppsWithChangedPeerStates);
        Assert.Equal(PeerStates.WaitingForAcceptance, mesh.PeerStates(Ref("receiver")).Single().State);
    }

    [Fact]
    public void Upsert_UnrelatedApp_PlansOnlyItsOwnInstances()
    {
        var mesh = MeshState.Build(Options, [Receiver("sender"), Sender("receiver")]);
        var before = mesh.InstancesPlanned;

        var update = mesh.Upsert(App("loner", 5, [], Instance("loner-0", "node-3", 5, 1, 51820)));

        Assert.Equal(1, mesh.InstancesPlanned - before);
        Assert.Equal(["node-3"], update.TouchedNodes);
    }

    [Fact]
    public void Upsert_InstanceMovedNode_LeavesOldNodeAndUpdatesPeersEndpoint()
    {
        var mesh = MeshState.Build(Options, [Receiver("sender"), Sender("receiver")]);

        mesh.Upsert(App("receiver", 1, ["sender"], Instance("receiver-0", "node-2", 1, 1, 51823)));

        Assert.DoesNotContain(mesh.NodeSpec("node-1").Interfaces, i => i.Instance == "receiver-0");
        var fromSender = mesh.NodeSpec("node-1").Interfaces.Single(i => i.Instance == "sender-1").Peers.Single();
        Assert.Equal("192.0.2.20:51823", fromSender.Endpoint);
    }

    [Fact]
    public void Remove_App_RemovesItsInterfacesAndItsPeersLinks()
    {
        var mesh = MeshState.Build(Options, [Receiver("sender"), Sender("receiver")]);

        mesh.Remove(Ref("receiver"));

        Assert.Equal(["node-1", "node-2"], mesh.Nodes.Order());
        Assert.All(mesh.Nodes.SelectMany(n => mesh.NodeSpec(n).Interfaces), i => Assert.Equal("sender", i.App.Name));
        Assert.All(mesh.Nodes.SelectMany(n => mesh.NodeSpec(n).Interfaces), i => Assert.Empty(i.Peers));
        Assert.Equal(PeerStates.NotFound, mesh.PeerStates(Ref("sender")).Single().State);
    }

    [Fact]
    public void SetNodeAddress_ChangesEndpointsOfPeersOfInstancesThere()
    {
        var mesh = MeshState.Build(Options, [Receiver("sender"), Sender("receiver")]);

        var update = mesh.SetNodeAddress("node-2", System.Net.IPAddress.Parse("2001:db8::20"));

        Assert.Equal("[2001:db8::20]:51821", mesh.NodeSpec("node-1").Interfaces.Single(i => i.Instance == "receiver-0").Peers.First().Endpoint);
        Assert.Contains("node-1", update.TouchedNodes);
    }
}
