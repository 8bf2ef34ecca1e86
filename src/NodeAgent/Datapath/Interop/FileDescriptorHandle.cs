using System.Runtime.InteropServices;
using Tmds.Linux;

namespace WgIsolate.Datapath.Interop;

/// <summary>An owned file descriptor (socket, netns file, directory) closed exactly once.</summary>
public class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    internal FileDescriptorHandle(int fd)
        : this()
    {
        SetHandle(new IntPtr(fd));
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The raw descriptor; valid only while this handle is alive (use DangerousAddRef around long uses).</summary>
    public int Fd => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => LibC.close((int)handle.ToInt64()) == 0;
}
