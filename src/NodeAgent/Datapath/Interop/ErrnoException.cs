namespace WgIsolate.Datapath.Interop;

/// <summary>A failed system call or kernel request: the errno, its name and strerror text, and what we were doing.</summary>
public class ErrnoException : Exception
{
    public ErrnoException(int errno, string operation)
        : this(errno, operation, $"{operation}: {Interop.Errno.Describe(errno)}")
    {
    }

    protected ErrnoException(int errno, string operation, string message)
        : base(message)
    {
        Errno = errno;
        Operation = operation;
    }

    public int Errno { get; }

    public string Operation { get; }

    public string ErrnoName => Interop.Errno.Name(Errno);
}
