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

    /// <summary>Creates a new, empty namespace NAME. Throws ErrnoException EEXIST if the name is taken.</summary>
    public static void Create(string name)
    {
        var path = PathOf(name);
        PrepareRunDirectory();

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

    public static IReadOnlyList<string> List() =>
        Directory.Exists(RunDirectory)
            ? Directory.GetFiles(RunDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    public static NetnsHandle Open(string name)
    {
        var path = PathOf(name);
        return new NetnsHandle(FileCalls.Open(path, ORdOnly), path);
    }

    /// <summary>The calling thread's namespace (normally the host's).</summary>
    public static NetnsHandle OpenCurrent() => NetnsThread.OpenCurrentThreadNamespace();

    /// <summary>mkdir, lock against concurrent `ip netns`, and make /run/netns a shared mount point.</summary>
    private static void PrepareRunDirectory()
    {
        FileCalls.EnsureDirectory(RunDirectory, 0b111_101_101);
        using var directory = FileCalls.Open(RunDirectory, ORdOnly | ODirectory);
        FileCalls.LockExclusive(directory, RunDirectory);

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
