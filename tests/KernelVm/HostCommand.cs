using System.Diagnostics;

namespace WgIsolate.KernelVm;

/// <summary>Runs a host tool to completion; a non-zero exit throws with the tool's stderr.</summary>
public static class HostCommand
{
    public static string Run(string file, string arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{file} {arguments}` exited {process.ExitCode}: {stderr.Result.Trim()}");
        }
        return stdout;
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public static string Require(string name, string package) =>
        FindOnPath(name) ?? throw new InvalidOperationException(
            $"`{name}` is missing: install the Debian package {package} (scripts/install-test-deps.sh does)");
}
