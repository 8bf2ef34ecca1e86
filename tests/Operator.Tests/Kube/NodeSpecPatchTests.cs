using System.Text.Json.Nodes;
using k8s;
using WgIsolate.Core.Api;
using WgIsolate.KubeApiDouble.Patch;
using WgIsolate.Operator.Kube;

namespace WgIsolate.Operator.Tests.Kube;

/// <summary>Spec changes as JSON patches: applied by an RFC 6902 implementation, they give exactly the new spec.</summary>
public sealed class NodeSpecPatchTests
{
    private static NodePeerSpec Peer(string instance, string key = "K=") => new()
    {
        App = new AppReference { Namespace = "demo", Name = instance.Split('-')[0] },
        Instance = instance,
        PublicKey = key,
        Endpoint = "10.0.0.1:51820",
        AllowedIPs = ["fd00::1/128"],
    };

    private static NodeInterfaceSpec Interface(string instance, int port, params NodePeerSpec[] peers) => new()
    {
        App = new AppReference { Namespace = "demo", Name = instance.Split('-')[0] },
        Instance = instance,
        ListenPort = port,
        Peers = [.. peers],
    };

    private static JsonNode Applied(IsolatedNodeSpec from, IReadOnlyList<JsonPatchOperation> operations) =>
        JsonPatch.Apply(Document(from), JsonNode.Parse(KubernetesJson.Serialize(operations)));

    private static JsonNode Document(IsolatedNodeSpec spec) => new JsonObject { ["spec"] = JsonNode.Parse(KubernetesJson.Serialize(spec)) };

    [Fact]
    public void OnePeerGone_IsOneRemoveOfThatPeer()
    {
        var a = Interface("a-0", 1, Peer("b-0"), Peer("b-1"), Peer("c-0"));
        var other = Interface("z-0", 2, Peer("y-0"));
        var from = new IsolatedNodeSpec { ClusterPrefix = "fd00::/48", Interfaces = [a, other] };
        var to = new IsolatedNodeSpec { ClusterPrefix = "fd00::/48", Interfaces = [Interface("a-0", 1, a.Peers[0], a.Peers[2]), other] };

        var operations = NodeSpecPatch.Between(from, to)!;

        Assert.Equal([("remove", "/spec/interfaces/0/peers/1")], operations.Select(o => (o.Op, o.Path)));
        Assert.True(JsonNode.DeepEquals(Document(to), Applied(from, operations)));
    }

    [Fact]
    public void EqualSpecsOfDistinctObjects_NeedNothing()
    {
        IsolatedNodeSpec Spec() => new() { ClusterPrefix = "fd00::/48", Interfaces = [Interface("a-0", 1, Peer("b-0")), Interface("b-0", 2, Peer("a-0"))] };

        Assert.Empty(NodeSpecPatch.Between(Spec(), Spec())!);
    }

    [Fact]
    public void ChangedInterfaceSettings_ReplaceTheInterface_ChangedPeerReplacesThePeer()
    {
        var from = new IsolatedNodeSpec { ClusterPrefix = "fd00::/48", Interfaces = [Interface("a-0", 1, Peer("b-0")), Interface("b-0", 2, Peer("a-0"))] };
        var to = new IsolatedNodeSpec { ClusterPrefix = "fd01::/48", Interfaces = [Interface("a-0", 9, Peer("b-0")), Interface("b-0", 2, Peer("a-0", "New="))] };

        var operations = NodeSpecPatch.Between(from, to)!;

        Assert.Equal([("replace", "/spec/clusterPrefix"), ("replace", "/spec/interfaces/0"), ("replace", "/spec/interfaces/1/peers/0")],
            operations.Select(o => (o.Op, o.Path)));
        Assert.True(JsonNode.DeepEquals(Document(to), Applied(from, operations)));
    }

    [Fact]
    public void EntriesThatChangedOrder_CannotBeEditedInPlace()
    {
        var (a, b) = (Interface("a-0", 1), Interface("b-0", 2));

        Assert.Null(NodeSpecPatch.Between(new IsolatedNodeSpec { Interfaces = [a, b] }, new IsolatedNodeSpec { Interfaces = [b, a] }));
    }

    [Fact]
    public void ReorderedPeers_ReplaceThatPeerList()
    {
        var from = new IsolatedNodeSpec { Interfaces = [Interface("a-0", 1, Peer("b-0"), Peer("c-0"))] };
        var to = new IsolatedNodeSpec { Interfaces = [Interface("a-0", 1, Peer("c-0"), Peer("b-0"))] };

        var operations = NodeSpecPatch.Between(from, to)!;

        Assert.Equal([("replace", "/spec/interfaces/0/peers")], operations.Select(o => (o.Op, o.Path)));
        Assert.True(JsonNode.DeepEquals(Document(to), Applied(from, operations)));
    }

    /// <summary>Random specs changed at random, sharing unchanged entries as the planner does: the patch always
    /// gives the new spec, and unchanged entries cost nothing.</summary>
    [Fact]
    public void RandomChanges_PatchGivesTheNewSpec()
    {
        var random = new Random(20261207);
        for (var round = 0; round < 300; round++)
        {
            var from = RandomSpec(random);
            var to = Changed(from, random);

            var operations = NodeSpecPatch.Between(from, to);

            Assert.NotNull(operations);
            Assert.True(JsonNode.DeepEquals(Document(to), Applied(from, operations)), $"round {round}: {KubernetesJson.Serialize(operations)}");
        }
    }

    private static IsolatedNodeSpec RandomSpec(Random random) => new()
    {
        ClusterPrefix = "fd00::/48",
        Interfaces = [.. Enumerable.Range(0, 12).Where(_ => random.Next(3) > 0)
            .Select(i => Interface($"i{i:D2}-0", i, [.. Enumerable.Range(0, 8).Where(_ => random.Next(2) > 0).Select(p => Peer($"p{p}-0"))]))],
    };

    // Keeps the sorted order the planner produces: removals, insertions, and changes in place.
    private static IsolatedNodeSpec Changed(IsolatedNodeSpec from, Random random)
    {
        var interfaces = new SortedDictionary<string, NodeInterfaceSpec>(from.Interfaces.ToDictionary(i => i.Instance), StringComparer.Ordinal);
        for (var i = 0; i < 12; i++)
        {
            var name = $"i{i:D2}-0";
            switch (random.Next(6))
            {
                case 0:
                    interfaces.Remove(name);
                    break;
                case 1:
                    interfaces[name] = Interface(name, i, Peer("p1-0"), Peer("p5-0"));
                    break;
                case 2 when interfaces.TryGetValue(name, out var kept):
                    var peers = new SortedDictionary<string, NodePeerSpec>(kept.Peers.ToDictionary(p => p.Instance), StringComparer.Ordinal);
                    for (var p = 0; p < 8; p++)
                    {
                        if (random.Next(3) == 0) peers.Remove($"p{p}-0");
                        else if (random.Next(3) == 0) peers[$"p{p}-0"] = Peer($"p{p}-0", random.Next(2) == 0 ? "K=" : "Other=");
                    }

                    interfaces[name] = Interface(name, random.Next(4) == 0 ? 100 + i : i, [.. peers.Values]);
                    break;
            }
        }

        return new IsolatedNodeSpec { ClusterPrefix = random.Next(8) == 0 ? "fd01::/48" : from.ClusterPrefix, Interfaces = [.. interfaces.Values] };
    }
}
