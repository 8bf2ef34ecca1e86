using Tmds.Linux;

namespace WgIsolate.Datapath.Interop;

/// <summary>
/// socket(2) for IP sockets as a bare descriptor: the one call allowed on a thread switched into another network
/// namespace, where a managed Socket could start runtime machinery (see NetnsThread).
/// </summary>
internal static class InetSockets
{
    private const int SOCK_CLOEXEC = 0x80000;

    public static FileDescriptorHandle Open(int family, int type, int protocol) =>
        new(Errno.Check(LibC.socket(family, type | SOCK_CLOEXEC, protocol), $"socket(family {family}, type {type})"));
}
