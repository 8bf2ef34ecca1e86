using System.Net;
using BenchmarkDotNet.Attributes;
using WgIsolate.Core.Api;
using WgIsolate.Core.Mesh;

namespace WgIsolate.Bench;

/// <summary>
/// The scale: 1,000 apps × 10 instances on 100 nodes, each app in mutual consent with 10 others
/// (its 5 neighbours on either side of a ring), so every instance has 100 peers: 1,000,000 peer entries.
/// The full build is the baseline; one app's spec change is measured against it in the same run.
/// </summary>
[MemoryDiagnoser]
public class MeshBenchmarks
{
    private const int Apps = 1000;
    private const int InstancesPerApp = 10;
    private const int Nodes = 100;
    private const int PeersEachSide = 5;

    private MeshOptions options = null!;
    private List<MeshApp> apps = null!;
    private MeshState state = null!;
    private MeshApp changedA = null!;
    private MeshApp changedB = null!;
    private bool flip;

    [GlobalSetup]
    public void Setup()
    {
        options = new MeshOptions(
            IPNetwork.Parse("fd00:1:2::/48"),
            Enumerable.Range(0, Nodes).ToDictionary(n => $"node-{n}", n => IPAddress.Parse($"2001:db8::{n + 1:x}")),
            "wgisolate-psk");
        apps = Enumerable.Range(0, Apps).Select(a => App(a, keepalive: null)).ToList();
        state = MeshState.Build(options, apps);
        changedA = App(500, keepalive: 25);
        changedB = App(500, keepalive: 15);
    }

    [Benchmark(Baseline = true, Description = "full build, 1,000 apps / 10,000 instances")]
    public MeshState FullBuild() => MeshState.Build(options, apps);

    [Benchmark(Description = "one app changed, incremental")]
    public MeshUpdate OneAppChanged()
    {
        flip = !flip;
        return state.Upsert(flip ? changedA : changedB);
    }

    private static MeshApp App(int index, int? keepalive)
    {
        var peers = Enumerable.Range(1, PeersEachSide)
            .SelectMany(d => new[] { (index + d) % Apps, (index - d + Apps) % Apps })
            .Select(p => new PeerReference { Name = $"app-{p}" })
            .ToList();
        var instances = Enumerable.Range(0, InstancesPerApp).Select(i => new MeshInstance(
            $"app-{index}-{i}",
            $"node-{(index * InstancesPerApp + i) % Nodes}",
            $"ns-{index}-{i}",
            $"wg-{index}-{i}",
            IPAddress.Parse($"fd00:1:2:{index + 1:x}::{i + 1:x}"),
            64,
            51820 + (index * InstancesPerApp + i) / Nodes,
            Convert.ToBase64String(BitConverter.GetBytes(index * 100 + i).Concat(new byte[28]).ToArray()))).ToList();
        return new MeshApp(
            new AppReference { Namespace = "bench", Name = $"app-{index}" },
            new IsolatedAppSpec { Peers = peers, PersistentKeepalive = keepalive },
            index + 1,
            instances);
    }
}
