using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop;

/// <summary>statvfs(3), only for the read-only flag: Tmds.LibC 0.5.0 lacks it.</summary>
internal static unsafe partial class LibcStatvfs
{
    // struct statvfs on 64-bit glibc (x86_64, aarch64): ten unsigned longs, f_flag the tenth; 112 bytes in all.
    private const int StructSize = 112;
    private const int FlagOffset = 9 * sizeof(ulong);
    private const ulong StRdOnly = 1;

    /// <summary>Null when PATH cannot be examined (nothing mounted there is fine for the caller).</summary>
    public static bool? IsReadOnly(string path)
    {
        var native = NativePath.Utf8z(path);
        var buffer = stackalloc byte[StructSize];
        fixed (byte* p = native)
        {
            if (Statvfs(p, buffer) != 0)
            {
                return null;
            }
        }

        return (*(ulong*)(buffer + FlagOffset) & StRdOnly) != 0;
    }

    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true)]
    private static partial int Statvfs(byte* path, byte* buffer);
}
