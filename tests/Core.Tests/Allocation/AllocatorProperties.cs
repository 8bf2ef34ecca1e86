using CsCheck;
using WgIsolate.Core.Allocation;

namespace WgIsolate.Core.Tests.Allocation;

/// <summary>For any sequence of adds and removes: no shared /64, no shared address, no shared port on a node,
/// and nothing live ever renumbered — also across a save and reload of the state.</summary>
public class AllocatorProperties
{
    private abstract record Op;
    private sealed record AddApp(int App) : Op;
    private sealed record RemoveApp(int App) : Op;
    private sealed record AddInstance(int App, int Instance, int Node) : Op;
    private sealed record RemoveInstance(int App, int Instance) : Op;
    private sealed record Reload : Op;

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (3, Gen.Int[0, 15].Select(a => (Op)new AddApp(a))),
        (1, Gen.Int[0, 15].Select(a => (Op)new RemoveApp(a))),
        (6, Gen.Select(Gen.Int[0, 15], Gen.Int[0, 7], Gen.Int[0, 3]).Select((a, i, n) => (Op)new AddInstance(a, i, n))),
        (2, Gen.Select(Gen.Int[0, 15], Gen.Int[0, 7]).Select((a, i) => (Op)new RemoveInstance(a, i))),
        (1, Gen.Const((Op)new Reload())));

    [Fact]
    public void AnySequence_KeepsAllocationsUniqueAndStable()
    {
        GenOp.Array[1, 80].Sample(ops =>
        {
            var allocator = new Allocator(new AllocationState { ClusterPrefix = "fd00:1:2::/48" }, new AllocatorOptions { FirstPort = 100, LastPort = 111 });
            var seen = new Dictionary<string, (int Index, ulong Address)>();
            foreach (var op in ops)
            {
                switch (op)
                {
                    case AddApp(var a):
                        var index = allocator.AllocateApp($"ns/a{a}").Index;
                        if (seen.TryGetValue($"ns/a{a}", out var before) && before.Index != index)
                        {
                            throw new InvalidOperationException($"app a{a} renumbered");
                        }

                        seen[$"ns/a{a}"] = (index, 0);
                        break;
                    case RemoveApp(var a):
                        allocator.ReleaseApp($"ns/a{a}");
                        seen.Remove($"ns/a{a}");
                        foreach (var key in seen.Keys.Where(k => k.StartsWith($"ns/a{a}/", StringComparison.Ordinal)).ToList())
                        {
                            seen.Remove(key);
                        }

                        break;
                    case AddInstance(var a, var i, var n) when allocator.State.Apps.ContainsKey($"ns/a{a}"):
                        var key2 = $"ns/a{a}/i{i}";
                        try
                        {
                            var instance = allocator.AllocateInstance($"ns/a{a}", $"i{i}", $"n{n}");
                            if (seen.TryGetValue(key2, out var was) && was.Address != instance.AddressIndex)
                            {
                                throw new InvalidOperationException($"{key2} renumbered");
                            }

                            seen[key2] = (0, instance.AddressIndex);
                        }
                        catch (AllocationExhaustedException)
                        {
                            // Twelve ports per node run out: a clear error, checked below to have changed nothing.
                        }

                        break;
                    case RemoveInstance(var a, var i):
                        allocator.ReleaseInstance($"ns/a{a}", $"i{i}");
                        seen.Remove($"ns/a{a}/i{i}");
                        break;
                    case Reload:
                        allocator = new Allocator(AllocationState.FromJson(allocator.State.ToJson()), new AllocatorOptions { FirstPort = 100, LastPort = 111 });
                        break;
                }

                AssertUnique(allocator.State);
            }
        }, iter: 400);
    }

    /// <summary>The allocator keeps its own index of used ports and app indexes: after any sequence, a long-lived
    /// allocator must decide exactly as one rebuilt from the state before each step (fixed ports included).</summary>
    [Fact]
    public void AnySequence_LongLivedAllocator_DecidesExactlyAsOneRebuiltFromTheState()
    {
        var fixedPorts = Gen.Frequency((3, Gen.Const((int?)null)), (1, Gen.Int[100, 103].Select(p => (int?)p)));
        GenOp.Select(fixedPorts).Array[1, 80].Sample(steps =>
        {
            var options = new AllocatorOptions { FirstPort = 100, LastPort = 111 };
            var longLived = new Allocator(new AllocationState { ClusterPrefix = "fd00:1:2::/48" }, options);
            foreach (var (op, fixedPort) in steps)
            {
                var rebuilt = new Allocator(AllocationState.FromJson(longLived.State.ToJson()), options);
                Assert.Equal(Outcome(rebuilt, op, fixedPort), Outcome(longLived, op, fixedPort));
                Assert.Equal(rebuilt.State.ToJson(), longLived.State.ToJson());
            }
        }, iter: 400);
    }

    private static string Outcome(Allocator allocator, Op op, int? fixedPort)
    {
        try
        {
            return op switch
            {
                AddApp(var a) => $"app {allocator.AllocateApp($"ns/a{a}").Index}",
                RemoveApp(var a) => $"released {allocator.ReleaseApp($"ns/a{a}")}",
                AddInstance(var a, var i, var n) when allocator.State.Apps.ContainsKey($"ns/a{a}") =>
                    $"port {allocator.AllocateInstance($"ns/a{a}", $"i{i}", $"n{n}", fixedPort).Port}",
                RemoveInstance(var a, var i) => $"released {allocator.ReleaseInstance($"ns/a{a}", $"i{i}")}",
                _ => "nothing",
            };
        }
        catch (Exception e) when (e is AllocationExhaustedException or AllocationConflictException)
        {
            return e.Message;
        }
    }

    private static void AssertUnique(AllocationState state)
    {
        var indexes = state.Apps.Values.Select(a => a.Index).ToList();
        Assert.Equal(indexes.Count, indexes.Distinct().Count());
        foreach (var app in state.Apps.Values)
        {
            var addresses = app.Instances.Values.Select(i => i.AddressIndex).ToList();
            Assert.Equal(addresses.Count, addresses.Distinct().Count());
            Assert.DoesNotContain(0UL, addresses);
        }

        var ports = state.Apps.Values.SelectMany(a => a.Instances.Values).Select(i => (i.Node, i.Port)).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}
