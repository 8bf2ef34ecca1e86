using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Netlink.Generic;

/// <summary>struct genlmsghdr (4 bytes). Reserved must stay zero.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct GenericHeader(byte Command, byte Version, ushort Reserved = 0)
{
    public const int Size = 4;

    public static GenericHeader Read(ReadOnlySpan<byte> payload) => MemoryMarshal.Read<GenericHeader>(payload);
}
