using System.Diagnostics;

namespace WgIsolate.Datapath.WireGuard.Userspace;

/// <summary>
/// Starts wireguard-go for one device, in the calling thread's network namespace (the host's: the TUN is born
/// there, and so is its UDP socket, which stays there after the TUN moves). Started as a daemon, not a child to
/// supervise: the tunnel must outlive the agent (upgrades, restarts); a restarted agent finds it by its UAPI
/// socket. wireguard-go exits by itself when its TUN is deleted, which is how a device is removed.
/// </summary>
public sealed class WireGuardGo(UapiClient uapi, string executable = "wireguard-go")
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    public static string? FindOnPath(string name = "wireguard-go") =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    public void Start(string device)
    {
        var path = FindOnPath(executable)
            ?? throw new UapiException(device, $"{executable} is not installed (Debian package wireguard-go); it is needed because this kernel has no WireGuard module");
        var start = new ProcessStartInfo(path, [device])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LOG_LEVEL"] = "error";
        using var process = Process.Start(start) ?? throw new UapiException(device, $"could not start {path}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StartTimeout) || process.ExitCode != 0)
        {
            throw new UapiException(device, $"{path} {device} failed (exit {(process.HasExited ? process.ExitCode : "none: timed out")}): {error.Result.Trim()} {output.Result.Trim()}".TrimEnd());
        }

        // The parent exits once the daemon is forked; the daemon then opens the UAPI socket.
        var deadline = Stopwatch.StartNew();
        while (!uapi.Exists(device))
        {
            if (deadline.Elapsed > StartTimeout)
            {
                throw new UapiException(device, $"{path} started but {uapi.SocketPath(device)} did not appear within {StartTimeout.TotalSeconds} s");
            }

            Thread.Sleep(10);
        }
    }
}
