using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop;

/// <summary>flock(2): Tmds.LibC 0.5.0 lacks it. `ip netns add` takes this lock on /run/netns; we do the same.</summary>
internal static partial class LibcFlock
{
    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);
}
