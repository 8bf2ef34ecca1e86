using System.Runtime.InteropServices;
using Tmds.Linux;

namespace WgIsolate.Datapath.Interop;

/// <summary>The one place where system call results are checked and turned into <see cref="ErrnoException"/>.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int ERANGE = 34;
    public const int EMSGSIZE = 90;
    public const int EPROTONOSUPPORT = 93;
    public const int EOPNOTSUPP = 95;
    public const int EAFNOSUPPORT = 97;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETUNREACH = 101;
    public const int ENOBUFS = 105;
    public const int ENOTCONN = 107;

    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR", [EBADF] = "EBADF",
        [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM", [EACCES] = "EACCES", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
        [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EINVAL] = "EINVAL", [ENOSPC] = "ENOSPC", [ERANGE] = "ERANGE",
        [EMSGSIZE] = "EMSGSIZE", [EPROTONOSUPPORT] = "EPROTONOSUPPORT", [EOPNOTSUPP] = "EOPNOTSUPP",
        [EAFNOSUPPORT] = "EAFNOSUPPORT", [EADDRINUSE] = "EADDRINUSE", [EADDRNOTAVAIL] = "EADDRNOTAVAIL",
        [ENETUNREACH] = "ENETUNREACH", [ENOBUFS] = "ENOBUFS", [ENOTCONN] = "ENOTCONN",
    };

    public static string Name(int errno) => Names.TryGetValue(errno, out var name) ? name : $"errno {errno}";

    /// <summary>"File exists (EEXIST)": strerror text plus the symbolic name, which is what people search for.</summary>
    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} ({Name(errno)})";

    /// <summary>Throws for the -1 convention of libc; returns the result otherwise.</summary>
    public static int Check(int result, string operation)
    {
        if (result == -1)
        {
            throw new ErrnoException(LibC.errno, operation);
        }

        return result;
    }

    public static long Check(long result, string operation)
    {
        if (result == -1)
        {
            throw new ErrnoException(LibC.errno, operation);
        }

        return result;
    }

    /// <summary>True when a call failed with EINTR (a signal hit the runtime) and should simply be repeated.</summary>
    public static bool Interrupted(long result) => result == -1 && LibC.errno == EINTR;
}
