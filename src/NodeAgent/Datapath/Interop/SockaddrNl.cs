using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop;

/// <summary>struct sockaddr_nl (12 bytes): Tmds.LibC does not define it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    public ushort Family;
    public ushort Pad;
    public uint PortId;
    public uint Groups;

    public static SockaddrNl Kernel => new() { Family = NetlinkSockets.AF_NETLINK };
}
