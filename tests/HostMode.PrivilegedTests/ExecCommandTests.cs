using System.Diagnostics;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.HostMode.PrivilegedTests;

/// <summary>`wgisolate exec APP -- CMD…`, the built binary, against a namespace named like host mode names an app's.</summary>
public class ExecCommandTests : KernelTest
{
    private readonly string app;
    private readonly string etcDirectory;

    public ExecCommandTests()
    {
        app = CreateNamespace("x");
        etcDirectory = Path.Combine("/etc/netns", app);
    }

    [PrivilegedFact]
    public void Exec_SeesOnlyTheNamespacesLoopbackInProcAndSys()
    {
        var proc = Run("cat", "/proc/self/net/dev");
        var sys = Run("ls", "/sys/class/net");

        Assert.Equal(0, proc.ExitCode);
        Assert.Equal(["lo"], InterfacesIn(proc.Output));
        Assert.Equal(0, sys.ExitCode);
        Assert.Equal("lo", sys.Output.Trim());
        Assert.NotEqual(["lo"], InterfacesIn(File.ReadAllText("/proc/self/net/dev")));
    }

    [PrivilegedFact]
    public void Exec_FilesOfEtcNetnsAreBoundOverEtcForTheCommandOnly()
    {
        Directory.CreateDirectory(etcDirectory);
        var marker = $"nameserver 192.0.2.53 # {app}\n";
        File.WriteAllText(Path.Combine(etcDirectory, "resolv.conf"), marker);
        var hostResolvConf = File.ReadAllText("/etc/resolv.conf");

        var inside = Run("cat", "/etc/resolv.conf");

        Assert.Equal(0, inside.ExitCode);
        Assert.Equal(marker, inside.Output);
        Assert.Equal(hostResolvConf, File.ReadAllText("/etc/resolv.conf"));
    }

    [PrivilegedFact]
    public void Exec_MissingEtcTarget_IsAWarningAndTheCommandStillRuns()
    {
        Directory.CreateDirectory(etcDirectory);
        File.WriteAllText(Path.Combine(etcDirectory, $"no-such-file-{app}"), "x");

        var result = Run("true");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"bind {etcDirectory}/no-such-file-{app} -> /etc/no-such-file-{app} failed: No such file or directory (ENOENT)", result.Error);
    }

    [PrivilegedFact]
    public void Exec_CommandsExitCode_IsTheExitCode()
    {
        Assert.Equal(7, Run("sh", "-c", "exit 7").ExitCode);
        Assert.Equal(0, Run("sh", "-c", "exit 0").ExitCode);
    }

    [PrivilegedFact]
    public void Exec_StdinAndArgumentsThatLookLikeOptions_ReachTheCommand()
    {
        var result = Run(["sh", "-c", "cat; echo \"$1\"", "sh", "--state"], stdin: "from stdin\n");

        Assert.Equal("from stdin\n--state\n", result.Output);
    }

    [PrivilegedFact]
    public void Exec_SigpipeIsNotIgnoredByTheCommand()
    {
        // A shell cannot un-ignore a signal ignored on entry: the runtime's SIG_IGN would make this exit 0.
        var result = Run("sh", "-c", "kill -PIPE $$; exit 0");

        Assert.Equal(128 + 13, result.ExitCode);
    }

    [PrivilegedFact]
    public void Exec_UnknownApp_ExitsTwoNamingTheNamespace()
    {
        var ghost = UniqueName("g");

        var result = Wgisolate(["exec", ghost, "--", "true"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"app {ghost}: network namespace /run/netns/{ghost} does not exist", result.Error);
    }

    [PrivilegedFact]
    public void Exec_MissingCommand_Exits127()
    {
        var result = Run($"no-such-command-{app}");

        Assert.Equal(127, result.ExitCode);
        Assert.Contains($"execvp no-such-command-{app}: No such file or directory (ENOENT)", result.Error);
    }

    [PrivilegedFact]
    public void Exec_NonExecutableFile_Exits126()
    {
        var file = Path.Combine(Path.GetTempPath(), $"not-executable-{app}");
        File.WriteAllText(file, "#!/bin/sh\n");
        try
        {
            Assert.Equal(126, Run(file).ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    protected override void CleanUp()
    {
        if (Directory.Exists(etcDirectory))
        {
            Directory.Delete(etcDirectory, recursive: true);
        }

        if (Directory.Exists("/etc/netns") && !Directory.EnumerateFileSystemEntries("/etc/netns").Any())
        {
            Directory.Delete("/etc/netns");
        }
    }

    private static IReadOnlyList<string> InterfacesIn(string procNetDev) =>
        procNetDev.Split('\n').Skip(2).Where(line => line.Contains(':')).Select(line => line.Split(':')[0].Trim()).Order().ToList();

    private (int ExitCode, string Output, string Error) Run(params string[] command) => Run(command, stdin: "");

    private (int ExitCode, string Output, string Error) Run(string[] command, string stdin) =>
        Wgisolate(["exec", app, "--", .. command], stdin);

    private static (int ExitCode, string Output, string Error) Wgisolate(string[] arguments, string stdin = "")
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "wgisolate"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "wgisolate exec did not finish within 30 s");
        return (process.ExitCode, output.Result, error);
    }
}
