using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>A received message: its header and the bytes after it (family header + attributes).</summary>
public readonly record struct NetlinkMessage(NetlinkHeader Header, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The fixed family header (ifinfomsg, rtmsg, genlmsghdr...) right after nlmsghdr.</summary>
    public T FamilyHeader<T>()
        where T : unmanaged
    {
        if (Payload.Length < Unsafe.SizeOf<T>())
        {
            throw new NetlinkProtocolException(
                $"message type {Header.Type} has {Payload.Length} payload bytes, shorter than its {Unsafe.SizeOf<T>()}-byte header");
        }

        return MemoryMarshal.Read<T>(Payload.Span);
    }

    /// <summary>Attributes that follow a family header of <paramref name="familyHeaderSize"/> bytes.</summary>
    public AttributeReader Attributes(int familyHeaderSize)
    {
        var aligned = Alignment.Align4(familyHeaderSize);
        if (Payload.Length < aligned)
        {
            throw new NetlinkProtocolException(
                $"message type {Header.Type} has {Payload.Length} payload bytes, shorter than its {familyHeaderSize}-byte header");
        }

        return new AttributeReader(Payload.Span[aligned..]);
    }
}
