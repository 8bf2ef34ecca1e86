using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>struct ifinfomsg (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public record struct InterfaceInfoHeader(byte Family, byte Pad, ushort Type, int Index, InterfaceFlags Flags, InterfaceFlags Change)
{
    public const int Size = 16;
}

/// <summary>struct ifaddrmsg (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public record struct AddressHeader(byte Family, byte PrefixLength, byte Flags, byte Scope, int Index)
{
    public const int Size = 8;
}

/// <summary>struct rtmsg (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public record struct RouteHeader(
    byte Family, byte DestinationLength, byte SourceLength, byte Tos, byte Table, byte Protocol, byte Scope, byte Type, uint Flags)
{
    public const int Size = 12;
}
