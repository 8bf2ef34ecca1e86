using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop;

/// <summary>execvp(3): Tmds.LibC 0.5.0 lacks it. Searches PATH like a shell and replaces the process image.</summary>
internal static unsafe partial class LibcExec
{
    /// <summary>Returns only on failure, with the errno (ENOENT: no such command, EACCES: not executable).</summary>
    public static int Execvp(IReadOnlyList<string> argv)
    {
        var arguments = argv.Select(NativePath.Utf8z).ToArray();
        var pins = arguments.Select(a => GCHandle.Alloc(a, GCHandleType.Pinned)).ToArray();
        try
        {
            var vector = stackalloc byte*[arguments.Length + 1];
            for (var i = 0; i < arguments.Length; i++)
            {
                vector[i] = (byte*)pins[i].AddrOfPinnedObject();
            }

            vector[arguments.Length] = null;
            ExecvpNative(vector[0], vector);
            return Marshal.GetLastPInvokeError();
        }
        finally
        {
            foreach (var pin in pins)
            {
                pin.Free();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "execvp", SetLastError = true)]
    private static partial int ExecvpNative(byte* file, byte** argv);
}
