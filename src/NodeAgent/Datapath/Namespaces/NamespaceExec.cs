using System.Diagnostics.CodeAnalysis;
using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Namespaces;

/// <summary>
/// `ip netns exec NAME CMD…` without the ip process (iproute2 ip/ipnetns.c netns_switch): enter the network
/// namespace, take a private mount namespace whose mounts no longer propagate back to the host, mount a /sys that
/// describes the new namespace, bind every file of /etc/netns/NAME/ over its /etc twin (resolv.conf, hosts, …),
/// then replace this process with CMD, searched on PATH. All of it happens on the calling thread: execve keeps that
/// thread's namespaces and ends every other thread of the runtime.
/// </summary>
public static class NamespaceExec
{
    public const string EtcDirectory = "/etc/netns";

    /// <summary>
    /// Never returns on success. Throws <see cref="ErrnoException"/> when a step fails — the execvp step with ENOENT or
    /// EACCES when CMD is missing or not executable; the calling thread may then be in the namespace already, so the
    /// caller must only report and exit. Problems binding /etc/netns files are warnings, as with `ip netns exec`.
    /// </summary>
    [DoesNotReturn]
    public static void Run(string netnsName, IReadOnlyList<string> command, TextWriter warnings)
    {
        if (command.Count == 0)
        {
            throw new ArgumentException("no command to run", nameof(command));
        }

        using (var netns = NamedNetworkNamespaces.Open(netnsName))
        {
            NamespaceCalls.SetNetworkNamespace(netns, netns.Path);
        }

        NamespaceCalls.UnshareMountNamespace();
        NamespaceCalls.Mount("", "/", "none", NamespaceCalls.MS_SLAVE | NamespaceCalls.MS_REC);
        MountSysfsOfThisNamespace(netnsName);
        BindEtcFiles(netnsName, warnings);
        LibcSignals.RestoreDefault(LibcSignals.SIGPIPE);
        LibcSignals.UnblockAll();
        var errno = LibcExec.Execvp(command);
        throw new ErrnoException(errno, $"execvp {command[0]}");
    }

    /// <summary>/sys shows the namespace that mounted it, so the host's is detached and a fresh one mounted.</summary>
    private static void MountSysfsOfThisNamespace(string netnsName)
    {
        var flags = 0UL;
        if (NamespaceCalls.TryDetach("/sys") != 0 && LibcStatvfs.IsReadOnly("/sys") == true)
        {
            // Could not detach it (a container's locked /sys): overlay instead, and a read-only mount cannot be
            // shadowed by a read-write one.
            flags = NamespaceCalls.MS_RDONLY;
        }

        NamespaceCalls.Mount(netnsName, "/sys", "sysfs", flags);
    }

    private static void BindEtcFiles(string netnsName, TextWriter warnings)
    {
        var directory = Path.Combine(EtcDirectory, netnsName);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var source in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var target = Path.Combine("/etc", Path.GetFileName(source));
            var errno = NamespaceCalls.TryMount(source, target, "none", NamespaceCalls.MS_BIND);
            if (errno != 0)
            {
                warnings.WriteLine($"bind {source} -> {target} failed: {Errno.Describe(errno)}");
            }
        }
    }
}
