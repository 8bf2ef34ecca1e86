using System.Net.Sockets;
using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Namespaces;

/// <summary>
/// Sockets that live in a named network namespace. A socket belongs for life to the namespace it was created in,
/// so only socket(2) runs on the switched thread; the descriptor is wrapped into a managed Socket afterwards, back on
/// the caller's thread, and from then on used with ordinary async I/O from any thread.
/// </summary>
public static class NamespaceSockets
{
    /// <summary>Opens the namespace by name on every call, so a namespace recreated under the same name is followed.</summary>
    public static Socket Open(string netnsName, AddressFamily family, SocketType type, ProtocolType protocol)
    {
        using var netns = NamedNetworkNamespaces.Open(netnsName);
        using var descriptor = NetnsThread.Run(netns, () => InetSockets.Open(ToNative(family), (int)type, (int)protocol));
        var handle = new SafeSocketHandle(descriptor.DangerousGetHandle(), ownsHandle: true);
        descriptor.SetHandleAsInvalid();
        try
        {
            return new Socket(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>.NET's AddressFamily numbers are Windows'; only InterNetwork happens to match Linux.</summary>
    private static int ToNative(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => 2,
        AddressFamily.InterNetworkV6 => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "only IPv4 and IPv6 sockets can be opened in a namespace"),
    };
}
