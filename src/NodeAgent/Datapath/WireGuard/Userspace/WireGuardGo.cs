using System.Diagnostics;

namespace WgIsolate.Datapath.WireGuard.Userspace;

/// <summary>
/// Starts wireguard-go for one device, in the calling thread's network namespace (the host's: the TUN is born
/// there, and so is its UDP socket, which stays there after the TUN moves). Started as a daemon, not a child to
/// supervise: the tunnel must outlive the agent (upgrades, restarts); a restarted agent finds it by its UAPI
/// socket. wireguard-go exits by itself when its TUN is deleted, which is how a device is removed.
/// </summary>
public sealed class WireGuardGo(UapiClient uapi, string executable = "wireguard-go", string logDirectory = WireGuardGo.DefaultLogDirectory)
{
    public const string DefaultLogDirectory = "/run/wgisolate/wireguard-go";

    private const int InotifyInstancesWanted = 8192;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    // The daemon answers a few milliseconds after its parent exits; a coarse poll would cost more than the start.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    public static string? FindOnPath(string name = "wireguard-go") =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    public void Start(string device)
    {
        var path = FindOnPath(executable)
            ?? throw new UapiException(device, $"{executable} is not installed (Debian package wireguard-go); it is needed because this kernel has no WireGuard module");
        RemoveStaleSocket(device);
        EnsureInotifyInstances();
        Directory.CreateDirectory(logDirectory);
        var log = Path.Combine(logDirectory, device + ".log");

        // The daemon keeps the stdio it is given. Pipes to this process would kill it with SIGPIPE at its first
        // log line once this process stops reading, so it gets /dev/null and a log file of its own.
        var start = new ProcessStartInfo("/bin/sh", ["-c", "exec \"$0\" \"$1\" </dev/null >>\"$2\" 2>&1", path, device, log])
        {
            UseShellExecute = false,
        };
        start.Environment["LOG_LEVEL"] = "error";
        using var process = Process.Start(start) ?? throw new UapiException(device, $"could not start {path}");
        if (!process.WaitForExit(StartTimeout) || process.ExitCode != 0)
        {
            throw new UapiException(device, $"{path} {device} failed (exit {(process.HasExited ? process.ExitCode : "none: timed out")}): {Tail(log)}");
        }

        // The parent creates the TUN and the socket file, hands both to the daemon and exits; the daemon then
        // looks the TUN up by name in this namespace. Until it answers, moving the TUN away would kill it.
        var deadline = Stopwatch.StartNew();
        while (!Answers(device))
        {
            if (deadline.Elapsed > StartTimeout)
            {
                throw new UapiException(device, $"{path} started but did not answer on {uapi.SocketPath(device)} within {StartTimeout.TotalSeconds} s: {Tail(log)}");
            }

            Thread.Sleep(PollInterval);
        }
    }

    /// <summary>
    /// Every wireguard-go holds an inotify instance (it watches its UAPI socket file), and the kernel's default
    /// of 128 instances per user would make the 120-somethingth device fail with "too many open files". The
    /// limit is raised, never lowered, to what a host full of apps needs.
    /// </summary>
    private void EnsureInotifyInstances()
    {
        const string limitPath = "/proc/sys/fs/inotify/max_user_instances";
        try
        {
            if (File.Exists(limitPath) && int.TryParse(File.ReadAllText(limitPath).Trim(), out var limit) && limit < InotifyInstancesWanted)
            {
                File.WriteAllText(limitPath, InotifyInstancesWanted.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not fatal by itself: below the limit devices still start, and one that does not says why in its log.
        }
    }

    private bool Answers(string device)
    {
        if (!uapi.Exists(device))
        {
            return false;
        }

        try
        {
            uapi.Get(device);
            return true;
        }
        catch (UapiException)
        {
            return false;
        }
    }

    /// <summary>A socket file nobody listens on is what a daemon that died leaves; it would fool the wait above.</summary>
    private void RemoveStaleSocket(string device)
    {
        if (uapi.IsStale(device))
        {
            File.Delete(uapi.SocketPath(device));
        }
    }

    /// <summary>Deletes the device's TUN (through <paramref name="deleteLink"/>, wherever it lives) and waits until
    /// wireguard-go has exited and removed its socket. False when there was no link to delete.</summary>
    public bool Remove(string device, Func<string, bool> deleteLink)
    {
        if (!deleteLink(device))
        {
            RemoveStaleSocket(device);
            return false;
        }

        AwaitExit(device);
        return true;
    }

    /// <summary>Waits until the daemon of a device whose TUN is gone has exited and taken its socket along.</summary>
    public void AwaitExit(string device)
    {
        var deadline = Stopwatch.StartNew();
        while (uapi.IsListening(device))
        {
            if (deadline.Elapsed > StartTimeout)
            {
                throw new UapiException(device, $"wireguard-go still serves {uapi.SocketPath(device)} after {StartTimeout.TotalSeconds} s, for a TUN that is not in the host namespace");
            }

            Thread.Sleep(PollInterval);
        }

        RemoveStaleSocket(device);
    }

    private static string Tail(string log) =>
        File.Exists(log) ? string.Join(" ", File.ReadLines(log).TakeLast(5)).Trim() : "(no output)";
}
