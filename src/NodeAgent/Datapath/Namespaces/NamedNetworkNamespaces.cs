using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Namespaces;

/// <summary>
/// Named network namespaces exactly as `ip netns add/del` keep them (ip/ipnetns.c): a file under /run/netns with the
/// namespace bind-mounted on it, /run/netns itself a shared mount so the bind propagates to other mount namespaces.
/// </summary>
public static class NamedNetworkNamespaces
{
    public const string RunDirectory = "/run/netns";
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;

    public static string PathOf(string name)
    {
        NetnsName.Validate(name);
        return $"{RunDirectory}/{name}";
    }

    /// <summary>Creates a new, empty namespace NAME. Throws ErrnoException EEXIST if the name is taken. An entry
    /// without a namespace on it (a creation cut off between the file and its bind mount) does not take it: it is
    /// replaced.</summary>
    public static void Create(string name)
    {
        var path = PathOf(name);
        using var runDirectoryLock = PrepareRunDirectory();
        if (HoldsNamespace(path) == false)
        {
            // Holding the /run/netns lock that `ip netns add` takes too, and this process creates under it: an
            // entry without a namespace now is what a crash between file and mount left behind.
            FileCalls.Unlink(path);
        }

        FileCalls.Open(path, ORdOnly | OCreat | OExcl).Dispose();

        try
        {
            // Bind the *thread's* namespace: /proc/self would be the leader thread's, i.e. the host's.
            NetnsThread.RunInNewNamespace(() =>
            {
                NamespaceCalls.Mount(NetnsThread.CurrentThreadNamespacePath, path, "none", NamespaceCalls.MS_BIND);
                return true;
            });
        }
        catch
        {
            FileCalls.Unlink(path);
            throw;
        }
    }

    /// <summary>Removes NAME; the namespace itself dies with its last user. Returns false if it did not exist.</summary>
    public static bool Delete(string name)
    {
        var path = PathOf(name);
        // Not mounted (a half-created entry) is fine; the unlink is what decides whether it existed.
        NamespaceCalls.TryDetach(path);
        return FileCalls.Unlink(path);
    }

    public static bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>The named namespaces. Entries without a namespace on them are left out: they are a creation cut off
    /// before its bind mount (a crash), or one another process is making right now; neither can be entered.</summary>
    public static IReadOnlyList<string> List() =>
        Directory.Exists(RunDirectory)
            ? Directory.GetFiles(RunDirectory).Where(path => HoldsNamespace(path) == true).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>NAME can be entered: its entry exists and a network namespace is mounted on it.</summary>
    public static bool IsNamespace(string name) => HoldsNamespace(PathOf(name)) == true;

    /// <summary>Whether a network namespace is mounted on the entry; null when there is no entry (or it went meanwhile).</summary>
    private static bool? HoldsNamespace(string path)
    {
        try
        {
            using var entry = FileCalls.Open(path, ORdOnly);
            return LibcNamespaceType.IsNetworkNamespace(entry);
        }
        catch (ErrnoException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }
    }

    public static NetnsHandle Open(string name)
    {
        var path = PathOf(name);
        return new NetnsHandle(FileCalls.Open(path, ORdOnly), path);
    }

    /// <summary>The calling thread's namespace (normally the host's).</summary>
    public static NetnsHandle OpenCurrent() => NetnsThread.OpenCurrentThreadNamespace();

    /// <summary>mkdir, lock against concurrent `ip netns`, and make /run/netns a shared mount point. The lock is held
    /// until the returned handle is disposed.</summary>
    private static FileDescriptorHandle PrepareRunDirectory()
    {
        FileCalls.EnsureDirectory(RunDirectory, 0b111_101_101);
        var directory = FileCalls.Open(RunDirectory, ORdOnly | ODirectory);
        try
        {
            FileCalls.LockExclusive(directory, RunDirectory);
            MakeShared();
            return directory;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    private static void MakeShared()
    {
        var errno = NamespaceCalls.TryMount("", RunDirectory, "none", NamespaceCalls.MS_SHARED | NamespaceCalls.MS_REC);
        if (errno == Errno.EINVAL)
        {
            // Not a mount point yet: make it one by binding it onto itself, then share it.
            NamespaceCalls.Mount(RunDirectory, RunDirectory, "none", NamespaceCalls.MS_BIND | NamespaceCalls.MS_REC);
            errno = NamespaceCalls.TryMount("", RunDirectory, "none", NamespaceCalls.MS_SHARED | NamespaceCalls.MS_REC);
        }

        if (errno != 0)
        {
            throw new ErrnoException(errno, $"mount --make-rshared {RunDirectory}");
        }
    }
}
