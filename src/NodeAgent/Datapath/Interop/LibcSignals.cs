using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop;

/// <summary>
/// signal(2) and sigprocmask(2), to hand an exec'd program the signal state a shell would: the .NET runtime ignores
/// SIGPIPE, and an ignored signal stays ignored across execve (`yes | head` would then never end by SIGPIPE).
/// </summary>
internal static unsafe partial class LibcSignals
{
    public const int SIGPIPE = 13;
    private const int SigSetMask = 2;
    private const int SigSetBytes = 128; // glibc's sigset_t: 1024 bits

    public static void RestoreDefault(int signal)
    {
        if (Signal(signal, IntPtr.Zero) == -1)
        {
            throw new ErrnoException(Marshal.GetLastPInvokeError(), $"signal({signal}, SIG_DFL)");
        }
    }

    public static void UnblockAll()
    {
        var empty = stackalloc byte[SigSetBytes];
        new Span<byte>(empty, SigSetBytes).Clear();
        if (SigProcMask(SigSetMask, empty, null) != 0)
        {
            throw new ErrnoException(Marshal.GetLastPInvokeError(), "sigprocmask(SIG_SETMASK, {})");
        }
    }

    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static partial nint Signal(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "sigprocmask", SetLastError = true)]
    private static partial int SigProcMask(int how, byte* set, byte* old);
}
