using k8s;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Tests.Controllers;

namespace WgIsolate.Operator.Tests.Scenarios;

/// <summary>
/// The whole operator as it ships (Core validation, allocation in the ConfigMap, Core mesh) against the double:
/// two apps that list each other, agents publishing keys, consent withdrawn, a pod rescheduled, an operator restart.
/// </summary>
public sealed class MeshScenarioTests : IAsyncLifetime
{
    private ScenarioCluster? _cluster;

    private ScenarioCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        _cluster = await ScenarioCluster.StartAsync(_ => { });
        await Cluster.CreateReceiverAndSenderAsync();
    }

    private Task<V1Alpha1IsolatedNode> NodeAsync(string node, Func<NodeInterfaceSpec, bool> done, string what) =>
        ScenarioCluster.EventuallyAsync(() => Cluster.GetIsolatedNodeAsync(node), n => n.Spec.Interfaces.Count == 1 && done(n.Spec.Interfaces[0]), what);

    [Fact]
    public async Task TwoAppsListingEachOther_AgentsPublishKeys_EachSideGetsTheOtherAsPeer_ThenDroppingConsentRemovesBothSides()
    {
        var (receiverKey, senderKey) = await Cluster.PublishReceiverAndSenderKeysAsync();

        var node1 = await NodeAsync("node-1", i => i.Peers.Count == 1, "receiver-0 peering with sender-0");
        var node2 = await NodeAsync("node-2", i => i.Peers.Count == 1, "sender-0 peering with receiver-0");
        var receiver = await ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync("receiver"),
            a => a.Status?.Peers.SingleOrDefault()?.State == PeerStates.Connected && a.Status.Instances.All(i => i.Ready), "receiver Connected and ready");
        var sender = (await Cluster.GetAppAsync("sender"))!;

        var (r, s) = (node1.Spec.Interfaces[0], node2.Spec.Interfaces[0]);
        Assert.Equal((senderKey, "10.0.0.2:51820", $"{sender.Status!.Instances[0].Address}/128"), (r.Peers[0].PublicKey, r.Peers[0].Endpoint, r.Peers[0].AllowedIPs.Single()));
        Assert.Equal((receiverKey, "[2001:db8::1]:51820", $"{receiver.Status!.Instances[0].Address}/128"), (s.Peers[0].PublicKey, s.Peers[0].Endpoint, s.Peers[0].AllowedIPs.Single()));
        Assert.StartsWith(receiver.Status.Subnet!.Split("::/")[0], r.Address);
        Assert.NotEqual(receiver.Status.Subnet, sender.Status.Subnet);
        Assert.Equal(node1.Spec.ClusterPrefix, node2.Spec.ClusterPrefix);
        Assert.EndsWith("/48", node1.Spec.ClusterPrefix);

        await Cluster.UpdateAppAsync("receiver", a => a.Spec.Peers = []);

        await NodeAsync("node-1", i => i.Peers.Count == 0, "receiver-0 without peers");
        await NodeAsync("node-2", i => i.Peers.Count == 0, "sender-0 without peers");
        await ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync("sender"),
            a => a.Status?.Peers.SingleOrDefault()?.State == PeerStates.WaitingForAcceptance, "sender waiting for acceptance");
    }

    [Fact]
    public async Task EitherAppAskingForAPresharedKey_LinkGetsOneKeyInTheSecret_ReferencedFromBothSides()
    {
        await Cluster.UpdateAppAsync("sender", a => a.Spec.PresharedKey = true);
        await Cluster.PublishReceiverAndSenderKeysAsync();

        var r = (await NodeAsync("node-1", i => i.Peers.SingleOrDefault()?.PresharedKeyRef is not null, "receiver's peer with a PSK")).Spec.Interfaces[0].Peers[0];
        var s = (await NodeAsync("node-2", i => i.Peers.SingleOrDefault()?.PresharedKeyRef is not null, "sender's peer with a PSK")).Spec.Interfaces[0].Peers[0];
        var secret = await Cluster.Client.CoreV1.ReadNamespacedSecretAsync(r.PresharedKeyRef!.Name, "ops");

        Assert.Equal((r.PresharedKeyRef.Name, r.PresharedKeyRef.Key), (s.PresharedKeyRef!.Name, s.PresharedKeyRef.Key));
        Assert.Equal(32, Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(secret.Data[r.PresharedKeyRef.Key])).Length);
        Assert.Single(secret.Data);
    }

    [Fact]
    public async Task PodRescheduledUnderTheSameName_KeepsItsAddress_AndPeersGetTheNewEndpoint()
    {
        await Cluster.PublishReceiverAndSenderKeysAsync();
        var before = await ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync("sender"), a => a.Status?.Instances.Count == 1, "sender instance");
        await NodeAsync("node-1", i => i.Peers.SingleOrDefault()?.Endpoint == "10.0.0.2:51820", "receiver peering with sender on node-2");

        await Cluster.DeletePodAsync("sender-0");
        await Cluster.CreatePodAsync("sender-0", "sender", "node-1");
        await ScenarioCluster.EventuallyAsync(() => Cluster.GetIsolatedNodeAsync("node-1"), n => n.Spec.Interfaces.Count == 2, "sender-0 planned on node-1");
        await Cluster.AgentReportsAsync("node-1",
            new NodeInterfaceStatus { App = TestCache.Ref("receiver"), Instance = "receiver-0", PublicKey = ScenarioCluster.TestKey(1), Ready = true },
            new NodeInterfaceStatus { App = TestCache.Ref("sender"), Instance = "sender-0", PublicKey = ScenarioCluster.TestKey(3), Ready = true });

        var node1 = await ScenarioCluster.EventuallyAsync(() => Cluster.GetIsolatedNodeAsync("node-1"),
            n => n.Spec.Interfaces.Single(i => i.Instance == "receiver-0").Peers.SingleOrDefault()?.PublicKey == ScenarioCluster.TestKey(3), "receiver peering with the moved sender");
        var after = await ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync("sender"), a => a.Status?.Instances.SingleOrDefault()?.Node == "node-1", "sender status on node-1");

        Assert.Equal(before.Status!.Instances[0].Address, after.Status!.Instances[0].Address);
        var peer = node1.Spec.Interfaces.Single(i => i.Instance == "receiver-0").Peers.Single();
        Assert.Equal("[2001:db8::1]:51821", peer.Endpoint);
        Assert.Equal($"{after.Status.Instances[0].Address}/128", peer.AllowedIPs.Single());
        await ScenarioCluster.EventuallyAsync(() => Cluster.GetIsolatedNodeAsync("node-2"), n => n.Spec.Interfaces.Count == 0, "node-2 emptied");
    }

    [Fact]
    public async Task OperatorRestarted_RenumbersNothing()
    {
        await Cluster.PublishReceiverAndSenderKeysAsync();
        await NodeAsync("node-1", i => i.Peers.Count == 1, "mesh converged");
        var receiverBefore = (await Cluster.GetAppAsync("receiver"))!.Status!;
        var specBefore = KubernetesJson.Serialize((await Cluster.GetIsolatedNodeAsync("node-1"))!.Spec);

        await Cluster.StopOperatorAsync(Cluster.Operator);
        Cluster.Api.Requests.Clear();
        await Cluster.StartOperatorAsync();
        await Cluster.CreatePodAsync("receiver-1", "receiver", "node-2");

        var receiverAfter = await ScenarioCluster.EventuallyAsync(() => Cluster.GetAppAsync("receiver"), a => a.Status?.Instances.Count == 2, "the new instance");
        Assert.Equal(receiverBefore.Subnet, receiverAfter.Status!.Subnet);
        Assert.Equal(receiverBefore.Instances.Single().Address, receiverAfter.Status.Instances.Single(i => i.Name == "receiver-0").Address);
        Assert.NotEqual(receiverAfter.Status.Instances[0].Address, receiverAfter.Status.Instances[1].Address);
        var node1 = (await Cluster.GetIsolatedNodeAsync("node-1"))!;
        Assert.Equal(specBefore, KubernetesJson.Serialize(node1.Spec));
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
