using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests;

/// <summary>statvfs is read through a hand-laid struct (f_flag offset): a real read-only mount proves the offset.</summary>
public class StatvfsTests : KernelTest
{
    [PrivilegedFact]
    public void IsReadOnly_ReadOnlyTmpfs_IsTrueAndItsWritableMountPointFalse()
    {
        var directory = Directory.CreateTempSubdirectory("wgit-statvfs-").FullName;
        try
        {
            var before = LibcStatvfs.IsReadOnly(directory);
            NamespaceCalls.Mount("wgit-statvfs", directory, "tmpfs", NamespaceCalls.MS_RDONLY);
            try
            {
                Assert.False(before);
                Assert.True(LibcStatvfs.IsReadOnly(directory));
            }
            finally
            {
                Assert.Equal(0, NamespaceCalls.TryDetach(directory));
            }
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [PrivilegedFact]
    public void IsReadOnly_MissingPath_IsUnknown()
    {
        Assert.Null(LibcStatvfs.IsReadOnly($"/nonexistent-{Guid.NewGuid():N}"));
    }
}
