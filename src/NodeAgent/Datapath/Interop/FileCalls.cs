using Tmds.Linux;

namespace WgIsolate.Datapath.Interop;

/// <summary>Checked open/close/read/write/unlink/mkdir/flock for namespace files and sysctls.</summary>
internal static unsafe class FileCalls
{
    public const int LOCK_EX = 2;

    public static FileDescriptorHandle Open(string path, int flags, uint mode = 0)
    {
        var native = NativePath.Utf8z(path);
        fixed (byte* p = native)
        {
            int fd;
            do
            {
                fd = LibC.open(p, flags | LibC.O_CLOEXEC, (mode_t)mode);
            }
            while (Errno.Interrupted(fd));
            return new FileDescriptorHandle(Errno.Check(fd, $"open {path}"));
        }
    }

    /// <summary>Returns false when the file did not exist.</summary>
    public static bool Unlink(string path)
    {
        var native = NativePath.Utf8z(path);
        fixed (byte* p = native)
        {
            if (LibC.unlink(p) == 0)
            {
                return true;
            }

            var errno = LibC.errno;
            return errno == Errno.ENOENT ? false : throw new ErrnoException(errno, $"unlink {path}");
        }
    }

    /// <summary>Creates a directory; an existing one is fine.</summary>
    public static void EnsureDirectory(string path, uint mode)
    {
        var native = NativePath.Utf8z(path);
        fixed (byte* p = native)
        {
            if (LibC.mkdir(p, (mode_t)mode) != 0 && LibC.errno != Errno.EEXIST)
            {
                throw new ErrnoException(LibC.errno, $"mkdir {path}");
            }
        }
    }

    public static void LockExclusive(FileDescriptorHandle file, string path)
    {
        int result;
        do
        {
            result = LibcFlock.Flock(file.Fd, LOCK_EX);
        }
        while (Errno.Interrupted(result));
        Errno.Check(result, $"flock {path}");
    }

    public static void WriteAll(FileDescriptorHandle file, ReadOnlySpan<byte> data, string path)
    {
        fixed (byte* p = data)
        {
            var written = 0;
            while (written < data.Length)
            {
                var result = (long)LibC.write(file.Fd, p + written, data.Length - written);
                if (Errno.Interrupted(result))
                {
                    continue;
                }

                written += (int)Errno.Check(result, $"write {path}");
            }
        }
    }

    public static byte[] ReadToEnd(FileDescriptorHandle file, string path)
    {
        var buffer = new byte[4096];
        var length = 0;
        fixed (byte* p = buffer)
        {
            while (length < buffer.Length)
            {
                var result = (long)LibC.read(file.Fd, p + length, buffer.Length - length);
                if (Errno.Interrupted(result))
                {
                    continue;
                }

                var read = (int)Errno.Check(result, $"read {path}");
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }

        return buffer[..length];
    }
}
