namespace WgIsolate.NodeAgent.Tests;

internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("wgisolate-test-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
