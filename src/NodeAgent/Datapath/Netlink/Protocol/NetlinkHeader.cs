using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>struct nlmsghdr (16 bytes, host byte order).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct NetlinkHeader(uint Length, ushort Type, MessageFlags Flags, uint Sequence, uint PortId)
{
    public const int Size = 16;

    public static NetlinkHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new NetlinkProtocolException($"netlink header needs {Size} bytes, got {source.Length}");
        }

        return MemoryMarshal.Read<NetlinkHeader>(source);
    }

    public void Write(Span<byte> destination)
    {
        var copy = this;
        MemoryMarshal.Write(destination, in copy);
    }
}
