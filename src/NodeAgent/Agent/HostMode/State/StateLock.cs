namespace WgIsolate.NodeAgent.HostMode.State;

/// <summary>
/// One `wgisolate up` per state directory. .NET implements FileShare.None on Linux with an advisory flock, which
/// the kernel drops when the process dies — even by kill -9 — so a crashed run never leaves a stale lock.
/// </summary>
internal sealed class StateLock : IDisposable
{
    private readonly FileStream stream;

    private StateLock(FileStream stream) => this.stream = stream;

    public static StateLock Acquire(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "lock");
        try
        {
            var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            return new StateLock(stream);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new StateLockedException(
                $"another wgisolate process is using the state directory {stateDirectory} (its lock file {path} is held)", ex);
        }
    }

    public void Dispose() => stream.Dispose();
}

internal sealed class StateLockedException(string message, Exception inner) : Exception(message, inner);
