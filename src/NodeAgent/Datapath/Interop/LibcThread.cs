using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop;

/// <summary>gettid(2): Tmds.LibC lacks it; glibc exports it since 2.30.</summary>
internal static partial class LibcThread
{
    [LibraryImport("libc", EntryPoint = "gettid")]
    internal static partial int GetTid();
}
