using System.Diagnostics;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.NodeAgent.Cli;

namespace WgIsolate.HostMode.PrivilegedTests;

/// <summary>Handing an app's namespace to workloads: a real podman container, and systemd units checked by
/// systemd-analyze (PID 1 here is not systemd, so units cannot be started).</summary>
public class WorkloadTests : HostModeTest
{
    private static (int Code, string Output, string Error) Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    /// <summary>A busybox root filesystem: enough for a container that lists interfaces and listens with nc.</summary>
    private string BusyboxRootfs()
    {
        var rootfs = Path.Combine(Path.GetTempPath(), "wgisolate-test-rootfs-" + Name(""));
        foreach (var dir in new[] { "bin", "proc", "sys", "dev", "etc", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
        }

        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"), overwrite: true);
        foreach (var applet in new[] { "sh", "cat", "nc" })
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }

        return rootfs;
    }

    [PrivilegedFact]
    public void PodmanContainer_InTheAppsNamespace_SeesOnlyLoAndWireGuard_AndReceivesTheSendersMessage()
    {
        Assert.True(File.Exists("/usr/bin/podman"), "podman is not installed (Debian package podman)");
        WriteApp("receiver", 0, "sender");
        WriteApp("sender", 1, "receiver");
        UpOnceAndAssert();
        var rootfs = BusyboxRootfs();
        try
        {
            string[] podman = ["run", "--rm", "--network", $"ns:/run/netns/{Name("receiver")}", "--runtime", "runc",
                "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768", "--dns", "none", "--rootfs", rootfs + ":O"];

            var interfaces = Run("podman", [.. podman, "/bin/cat", "/proc/net/dev"]);
            Assert.True(interfaces.Code == 0, interfaces.Error);
            var names = interfaces.Output.Split('\n').Skip(2).Where(l => l.Contains(':')).Select(l => l.Split(':')[0].Trim()).Order(StringComparer.Ordinal);
            Assert.Equal(["lo", "wg-" + Name("receiver")], names);

            using var listener = Process.Start(new ProcessStartInfo("podman", [.. podman, "/bin/nc", "-l", "-p", "1234"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var receiver = AddressOf("receiver");
            var sent = false;
            for (var attempt = 0; attempt < 50 && !sent; attempt++)
            {
                Thread.Sleep(200);
                sent = Ip.TryRun("ip", $"netns exec {Name("sender")} sh -c \"echo from-sender | nc -N -w 2 {receiver} 1234\"").ExitCode == 0;
            }

            Assert.True(sent, "the sender could not connect to the container's listener");
            Assert.True(listener.WaitForExit(10000), "the container did not exit after the message");
            Assert.Equal("from-sender", listener.StandardOutput.ReadToEnd().Trim());
        }
        finally
        {
            Directory.Delete(rootfs, recursive: true);
        }
    }

    [PrivilegedFact]
    public void SystemdUnits_ExampleAgentServiceAndTheUnitCommandsDropIn_PassSystemdAnalyzeVerify()
    {
        var units = Path.Combine(Path.GetTempPath(), "wgisolate-test-units-" + Name(""));
        Directory.CreateDirectory(Path.Combine(units, "demo.service.d"));
        try
        {
            var examples = Path.Combine(RepositoryRoot(), "examples", "systemd");
            var executable = Path.Combine(AppContext.BaseDirectory, "wgisolate");
            File.WriteAllText(Path.Combine(units, "wgisolate.service"), File.ReadAllText(Path.Combine(examples, "wgisolate.service")).Replace("/usr/local/bin/wgisolate", executable, StringComparison.Ordinal));
            File.Copy(Path.Combine(examples, "receiver.service"), Path.Combine(units, "receiver.service"));
            File.WriteAllText(Path.Combine(units, "demo.service"), "[Service]\nExecStart=/bin/true\n");
            var (code, output, _) = Wgisolate("unit", "receiver");
            Assert.Equal(ExitCodes.Ok, code);
            var dropIn = output[..output.IndexOf("# or, for podman", StringComparison.Ordinal)];
            File.WriteAllText(Path.Combine(units, "demo.service.d", "wgisolate.conf"), dropIn);
            Assert.Contains("Network=ns:/run/netns/receiver", output);

            foreach (var unit in new[] { "wgisolate.service", "receiver.service", "demo.service" })
            {
                var start = new ProcessStartInfo("systemd-analyze", ["verify", Path.Combine(units, unit)]) { RedirectStandardOutput = true, RedirectStandardError = true };
                start.Environment["SYSTEMD_UNIT_PATH"] = units + ":";
                using var verify = Process.Start(start)!;
                var error = verify.StandardError.ReadToEnd();
                verify.WaitForExit();
                // systemd-analyze exits 0 on some warnings (misspelled keys): its stderr must be empty too.
                Assert.True(verify.ExitCode == 0 && error.Trim().Length == 0, $"{unit}: exit {verify.ExitCode}: {error}");
            }
        }
        finally
        {
            Directory.Delete(units, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WgIsolate.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("WgIsolate.sln not found above " + AppContext.BaseDirectory);
    }
}
