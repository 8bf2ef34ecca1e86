using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop;

/// <summary>ioctl(NS_GET_NSTYPE) (Linux 4.11+): what kind of namespace a file descriptor refers to, if any.
/// Tmds.LibC 0.5.0 lacks ioctl.</summary>
internal static partial class LibcNamespaceType
{
    private const uint NsGetNsType = 0xb703; // _IO(0xb7, 0x3), linux/nsfs.h
    private const int CloneNewNet = 0x40000000;

    /// <summary>True when FD refers to a network namespace; false for anything else (a plain file: ENOTTY).</summary>
    public static bool IsNetworkNamespace(FileDescriptorHandle fd) => Ioctl(fd.Fd, NsGetNsType) == CloneNewNet;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request);
}
