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
        // No LOG_LEVEL on purpose: when it is set, the daemon keeps this process's stdout/stderr pipes as its own
        // (verified: fd 1 -> pipe), and a Go program writing to a broken fd 1/2 dies of SIGPIPE, so a log line after
        // an agent restart would kill the tunnel. Unset, the daemon gets /dev/null while the parent still prints
        // its start-up errors here. WG_PROCESS_FOREGROUND must stay unset too: it would keep the parent in front.
        start.Environment.Remove("LOG_LEVEL");
        start.Environment.Remove("WG_PROCESS_FOREGROUND");
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

    /// <summary>
    /// Removes a device: deleting its TUN (through <paramref name="deleteLink"/>, in the netns it lives in now) makes
    /// wireguard-go exit, and it removes its socket on the way out. When there was no such link, only a socket that
    /// refuses connections (its process died) is unlinked, as wg does; a live one belongs to a link elsewhere.
    /// </summary>
    public bool Remove(string device, Func<string, bool> deleteLink)
    {
        if (!deleteLink(device))
        {
            if (uapi.IsStale(device))
            {
                File.Delete(uapi.SocketPath(device));
            }

            return false;
        }

        var deadline = Stopwatch.StartNew();
        while (uapi.Exists(device))
        {
            if (deadline.Elapsed > StartTimeout)
            {
                throw new UapiException(device, $"the TUN was deleted but wireguard-go still holds {uapi.SocketPath(device)} after {StartTimeout.TotalSeconds} s");
            }

            Thread.Sleep(10);
        }

        return true;
    }
}
