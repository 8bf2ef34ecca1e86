namespace WgIsolate.Convergence.Tests;

/// <summary>
/// A crash can stop convergence between any two kernel operations. Whatever step it stops at, the next run must
/// reach exactly the state a clean run reaches: no duplicates, nothing leaked, nothing refused as foreign.
/// </summary>
public class CrashRecoveryTests
{
    [Fact]
    public void Converge_InterruptedAtEveryStep_NextRunReachesTheCleanState()
    {
        var apps = new[] { SampleApps.Receiver(SampleApps.Egress(), "table inet f {}"), SampleApps.Sender() };
        var clean = new FakeDataplane();
        new Datapath.Convergence.Converger(clean).Converge(apps);
        var steps = clean.Mutations.Count;
        Assert.True(steps > 20, $"only {steps} steps: the scenario is too small to mean anything");

        for (var step = 0; step < steps; step++)
        {
            var kernel = new FakeDataplane();
            kernel.FailAt(step);
            var interrupted = new Datapath.Convergence.Converger(kernel).Converge(apps);
            Assert.False(interrupted.Succeeded, $"step {step} did not fail");

            var recovered = new Datapath.Convergence.Converger(kernel).Converge(apps);

            Assert.True(recovered.Succeeded, $"after a failure at step {step} ({clean.Mutations[step]}): {string.Join("; ", recovered.Apps.Select(a => a.Error))}");
            Assert.Equal(clean.Dump(), kernel.Dump());
        }
    }

    [Fact]
    public void Remove_InterruptedAtEveryStep_NextRunLeavesNothing()
    {
        var apps = new[] { SampleApps.Receiver(SampleApps.Egress()), SampleApps.Sender() };
        var probe = new FakeDataplane();
        new Datapath.Convergence.Converger(probe).Converge(apps);
        var before = probe.Mutations.Count;
        new Datapath.Convergence.Converger(probe).Converge([]);
        var steps = probe.Mutations.Count - before;

        for (var step = 0; step < steps; step++)
        {
            var kernel = new FakeDataplane();
            new Datapath.Convergence.Converger(kernel).Converge(apps);
            kernel.FailAt(step);
            Assert.False(new Datapath.Convergence.Converger(kernel).Converge([]).Succeeded, $"step {step} did not fail");

            new Datapath.Convergence.Converger(kernel).Converge([]);

            // Host forwarding stays on: its value before WgIsolate is unknown, and other software may rely on it.
            Assert.Empty(kernel.ListNamespaces());
            Assert.Empty(kernel.ListLinks(null));
            Assert.Empty(kernel.ReadHostNat());
            Assert.DoesNotContain("route", kernel.Dump());
        }
    }
}
