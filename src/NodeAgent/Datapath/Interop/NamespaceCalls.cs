using Tmds.Linux;

namespace WgIsolate.Datapath.Interop;

/// <summary>Checked setns/unshare for network namespaces and the mount calls that pin them to /run/netns.</summary>
internal static unsafe class NamespaceCalls
{
    public const int CLONE_NEWNET = 0x40000000;
    public const int CLONE_NEWNS = 0x20000;
    public const ulong MS_RDONLY = 0x1;
    public const ulong MS_BIND = 0x1000;
    public const ulong MS_REC = 0x4000;
    public const ulong MS_SLAVE = 0x80000;
    public const ulong MS_SHARED = 0x100000;

    public static void SetNetworkNamespace(FileDescriptorHandle netns, string what) =>
        Errno.Check(LibC.setns(netns.Fd, CLONE_NEWNET), $"setns({what})");

    /// <summary>Raw setns for the restore path, where the caller decides what failure means.</summary>
    public static int TrySetNetworkNamespace(FileDescriptorHandle netns) => LibC.setns(netns.Fd, CLONE_NEWNET);

    public static void UnshareNetworkNamespace() => Errno.Check(LibC.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)");

    /// <summary>A private mount namespace for the calling thread (it implies CLONE_FS, which a threaded process may unshare).</summary>
    public static void UnshareMountNamespace() => Errno.Check(LibC.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)");

    public static int TryMount(string source, string target, string fsType, ulong flags)
    {
        var s = NativePath.Utf8z(source);
        var t = NativePath.Utf8z(target);
        var f = NativePath.Utf8z(fsType);
        fixed (byte* sp = s, tp = t, fp = f)
        {
            return LibC.mount(sp, tp, fp, (ulong_t)flags, null) == 0 ? 0 : LibC.errno;
        }
    }

    public static void Mount(string source, string target, string fsType, ulong flags)
    {
        var errno = TryMount(source, target, fsType, flags);
        if (errno != 0)
        {
            throw new ErrnoException(errno, $"mount {source} on {target} (flags 0x{flags:x})");
        }
    }

    /// <summary>umount2(MNT_DETACH); returns the errno (0 on success) because deletion tolerates "not mounted".</summary>
    public static int TryDetach(string target)
    {
        var t = NativePath.Utf8z(target);
        fixed (byte* tp = t)
        {
            return LibC.umount2(tp, LibC.MNT_DETACH) == 0 ? 0 : LibC.errno;
        }
    }
}
