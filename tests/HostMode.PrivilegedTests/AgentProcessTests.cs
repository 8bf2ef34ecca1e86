using System.Diagnostics;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.HostMode.PrivilegedTests;

/// <summary>The real executable, as systemd or a person runs it: killed with SIGKILL mid-run, watching a folder,
/// stopped with SIGTERM.</summary>
public class AgentProcessTests : HostModeTest
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "wgisolate");

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Executable, ["up", "--manifests", Folder, "--state", State, "--endpoint-address", "::1", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting for {what}");
            Thread.Sleep(50);
        }
    }

    private static bool NamespaceExists(string name) => File.Exists($"/run/netns/{name}");

    [PrivilegedFact]
    public void KilledAtSeveralPointsDuringUp_TheNextUpConverges_WithoutDuplicatesOrLeaks()
    {
        WriteDemo();
        WriteApp("extra1", 3, "extra2");
        WriteApp("extra2", 4, "extra1");
        var roles = new[] { "receiver", "sender", "outsider", "extra1", "extra2" };

        foreach (var delay in new[] { 150, 300, 450, 600, 800, 1000, 1300 })
        {
            using var up = Start("--once");
            Thread.Sleep(delay);
            up.Kill();
            up.WaitForExit();
        }

        UpOnceAndAssert();

        foreach (var role in roles)
        {
            Assert.Equal(["lo", "wg-" + Name(role)], LinksIn(Name(role)));
            Assert.Single(WireGuardGoProcesses.Serving("wg-" + Name(role)));
        }

        Assert.DoesNotContain(Ip.Json(null, "link show").EnumerateArray(), l => l.GetProperty("ifname").GetString()!.EndsWith(Name(""), StringComparison.Ordinal));
        Assert.True(Ping(Name("sender"), AddressOf("receiver")), "sender -> receiver after the crashes");
        Assert.True(Ping(Name("extra1"), AddressOf("extra2")), "extra1 -> extra2 after the crashes");
    }

    [PrivilegedFact]
    public void Watching_AppliesAFileAddedToTheFolder_AndSigtermLeavesTheTunnelsUp()
    {
        WriteApp("receiver", 0, "sender");
        using var up = Start("--resync-seconds", "600");
        try
        {
            WaitFor(() => NamespaceExists(Name("receiver")), "the first pass");

            WriteApp("sender", 1, "receiver");
            WaitFor(() => NamespaceExists(Name("sender")) && Ping(Name("sender"), AddressOf("receiver")), "the sender added to the folder to be applied and reach the receiver");

            Ip.Run("kill", $"-TERM {up.Id}");
            Assert.True(up.WaitForExit(15000), "up did not stop on SIGTERM");
            Assert.Equal(0, up.ExitCode);
            Assert.True(Ping(Name("sender"), AddressOf("receiver")), "the tunnels must stay up after the agent stopped");
        }
        finally
        {
            if (!up.HasExited)
            {
                up.Kill();
                up.WaitForExit();
            }
        }
    }

    [PrivilegedFact]
    public void Watching_ForwardsAHostPortIntoTheApp_TheSeedsEchoTestFromOutsideReachesTheReceiver()
    {
        var hostPort = Port(7);
        WriteApp("receiver", 0, [], $"  ingress:\n    - {{port: 1234, hostPort: {hostPort}, protocol: TCP}}");
        using var up = Start("--resync-seconds", "600");
        try
        {
            WaitFor(() => NamespaceExists(Name("receiver")) && Ip.TryRun("ss", $"-Hltn sport = :{hostPort}").Output.Trim().Length > 0, "the forwarder to listen");
            using var listener = Process.Start(new ProcessStartInfo("ip", $"netns exec {Name("receiver")} nc -6 -l ::1 1234") { RedirectStandardOutput = true })!;
            WaitFor(() => Ip.TryRun("ss", $"-N {Name("receiver")} -Hltn sport = :1234").Output.Trim().Length > 0, "the app to listen");

            Ip.Run("sh", $"-c \"echo 'test from outside' | nc -N -w 3 ::1 {hostPort}\"");

            Assert.True(listener.WaitForExit(5000), "the app's listener got no connection");
            Assert.Equal("test from outside", listener.StandardOutput.ReadToEnd().Trim());
            Assert.Equal(["lo", "wg-" + Name("receiver")], LinksIn(Name("receiver")));
        }
        finally
        {
            if (!up.HasExited)
            {
                up.Kill();
                up.WaitForExit();
            }
        }
    }
}
