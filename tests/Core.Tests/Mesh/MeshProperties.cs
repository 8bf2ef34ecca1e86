using CsCheck;
using WgIsolate.Core.Api;
using WgIsolate.Core.Mesh;
using static WgIsolate.Core.Tests.Mesh.MeshFixtures;

namespace WgIsolate.Core.Tests.Mesh;

/// <summary>Incremental updates in any order end where a full build of the final inputs does, and every link
/// they produce is mutual: consent on both sides, present on both sides.</summary>
public class MeshProperties
{
    private static readonly string[] Names = ["a", "b", "c", "d", "e", "f"];

    private static readonly Gen<MeshApp> GenApp =
        Gen.Select(
            Gen.Int[0, Names.Length - 1],
            Gen.Int[0, Names.Length - 1].HashSet[0, 4],
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], Gen.Bool).Array[0, 3])
        .Select((name, peers, instances) => App(
            Names[name],
            name + 1,
            peers.Select(p => Names[p]).Where(p => p != Names[name]).ToArray(),
            instances.Select((x, k) => Instance($"{Names[name]}-{k}", $"node-{x.Item2}", name + 1, k + 1, 51820 + k, x.Item3)).ToArray()));

    private static readonly Gen<(bool Remove, MeshApp App)> GenChange = Gen.Select(Gen.Int[0, 4], GenApp).Select((r, a) => (r == 0, a));

    [Fact]
    public void AnyChangeSequence_IncrementalEqualsFullBuild()
    {
        GenChange.Array[1, 30].Sample(changes =>
        {
            var incremental = MeshState.Build(Options, []);
            var final = new Dictionary<AppReference, MeshApp>();
            foreach (var (remove, app) in changes)
            {
                if (remove)
                {
                    incremental.Remove(app.Ref);
                    final.Remove(app.Ref);
                }
                else
                {
                    incremental.Upsert(app);
                    final[app.Ref] = app;
                }
            }

            var full = MeshState.Build(Options, final.Values);
            return Render(incremental) == Render(full) && LinksAreMutual(full);
        }, iter: 400);
    }

    private static string Render(MeshState mesh) => string.Join("\n", mesh.Nodes.Order(StringComparer.Ordinal).Select(n =>
        $"{n}: " + k8s.KubernetesJson.Serialize(mesh.NodeSpec(n))))
        + string.Join("\n", mesh.Apps.Keys.OrderBy(a => a.ToString(), StringComparer.Ordinal).Select(a =>
            $"{a}: " + string.Join(",", mesh.PeerStates(a).Select(p => $"{p.Name}={p.State}"))));

    /// <summary>An instance without a published key lists its peers but is nobody's peer yet; between keyed
    /// instances every link exists on both ends.</summary>
    private static bool LinksAreMutual(MeshState mesh)
    {
        var interfaces = mesh.Nodes.SelectMany(n => mesh.NodeSpec(n).Interfaces).ToList();
        var keys = interfaces.ToDictionary(i => $"{i.App}/{i.Instance}", i => mesh.Apps[i.App].Instances.Single(x => x.Name == i.Instance).PublicKey);
        return interfaces.Where(i => keys[$"{i.App}/{i.Instance}"] is not null).All(i => i.Peers.All(p =>
            interfaces.Any(other => other.App == p.App && other.Instance == p.Instance
                && other.Peers.Any(back => back.App == i.App && back.Instance == i.Instance && back.PublicKey == keys[$"{i.App}/{i.Instance}"]))));
    }
}
