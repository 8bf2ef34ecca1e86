using System.Diagnostics;
using System.Text.Json;

namespace WgIsolate.Datapath.PrivilegedTests.Support;

/// <summary>Test-only cross-checks with iproute2 and traffic with ping; product code never starts these.</summary>
public static class Ip
{
    /// <summary>`ip -n NETNS -j ARGS` parsed (iproute2's JSON is an array of objects).</summary>
    public static JsonElement Json(string? netns, string arguments)
    {
        var output = Run("ip", (netns is null ? "" : $"-n {netns} ") + "-j " + arguments);
        return JsonDocument.Parse(string.IsNullOrWhiteSpace(output) ? "[]" : output).RootElement;
    }

    public static string Run(string program, string arguments)
    {
        var (exitCode, output, error) = TryRun(program, arguments);
        Assert.True(exitCode == 0, $"`{program} {arguments}` exited {exitCode}: {error}");
        return output;
    }

    public static (int ExitCode, string Output, string Error) TryRun(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
