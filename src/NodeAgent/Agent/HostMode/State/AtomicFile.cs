using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WgIsolate.NodeAgent.HostMode.State;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the old content or the new one, never a torn mix:
/// write a temporary file beside it, fsync it, rename it over the target, fsync the directory (so the rename
/// itself survives a power loss). The mode is set at creation, so a key is never readable by others even briefly.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = mode,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            SyncDirectory(directory);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static unsafe void SyncDirectory(string directory)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(directory + "\0");
        fixed (byte* name = bytes)
        {
            var fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0)
            {
                throw new IOException($"opening directory {directory} to sync it: errno {errno}");
            }

            try
            {
                if (fsync(fd) != 0)
                {
                    throw new IOException($"syncing directory {directory}: errno {errno}");
                }
            }
            finally
            {
                close(fd);
            }
        }
    }
}
