using WgIsolate.Datapath.WireGuard;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.Tests;

public class HostStateTests
{
    [Fact]
    public void AtomicFile_Write_ReplacesContentWithTheGivenModeAndLeavesNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "state.json");
        AtomicFile.Write(path, "old"u8, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        AtomicFile.Write(path, "new"u8, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["state.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void StateLock_SecondAcquire_IsRefusedNamingTheDirectory_AndFreedOnDispose()
    {
        using var dir = new TempDirectory();
        using (StateLock.Acquire(dir.Path))
        {
            var error = Assert.Throws<StateLockedException>(() => StateLock.Acquire(dir.Path));
            Assert.Contains($"another wgisolate process is using the state directory {dir.Path}", error.Message);
        }

        using var again = StateLock.Acquire(dir.Path);
        Assert.NotNull(again);
    }

    [Fact]
    public void KeyStore_GeneratesOnceOwnerOnly_AndKeepsTheKey()
    {
        using var dir = new TempDirectory();
        var generated = 0;
        var store = new KeyStore(dir.Path, null, () => { generated++; return WireGuardKeys.GeneratePrivateKey(); });

        var first = store.GetOrCreate("receiver");
        var second = store.GetOrCreate("receiver");

        Assert.Equal(first, second);
        Assert.Equal(1, generated);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, "keys", "receiver.key")));
    }

    [Fact]
    public void KeyStore_SystemdCredential_WinsOverTheStateDirectory()
    {
        using var dir = new TempDirectory();
        var credentials = Directory.CreateDirectory(Path.Combine(dir.Path, "credentials")).FullName;
        var key = WireGuardKeys.GeneratePrivateKey();
        File.WriteAllText(Path.Combine(credentials, "receiver.key"), key + "\n");

        var store = new KeyStore(dir.Path, credentials, () => throw new InvalidOperationException("must not generate"));

        Assert.Equal(key, store.GetOrCreate("receiver"));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "keys")));
    }

    [Fact]
    public void SecretFile_Malformed_NamesTheFileButNotItsContent()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "bad.key");
        File.WriteAllText(path, "s3cret-but-not-a-key");

        var error = Assert.Throws<InvalidDataException>(() => SecretFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }
}
