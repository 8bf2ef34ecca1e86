using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Namespaces;

/// <summary>An open network namespace file (/run/netns/NAME or /proc/.../ns/net). Holding it keeps the netns alive.</summary>
public sealed class NetnsHandle : FileDescriptorHandle
{
    /// <summary>Takes over the descriptor of <paramref name="owned"/>, which is left closed-without-closing.</summary>
    internal NetnsHandle(FileDescriptorHandle owned, string path)
        : base(owned.Fd)
    {
        owned.SetHandleAsInvalid();
        Path = path;
    }

    /// <summary>Where it was opened from, for error messages.</summary>
    public string Path { get; }
}
