using System.Runtime.InteropServices;
using System.Text;

namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>
/// Builds one netlink message: header, family header, then 4-aligned attributes and nests. Sequence and port id are
/// left zero; the socket stamps the sequence number when it sends.
/// </summary>
public sealed class MessageWriter
{
    private byte[] buffer = new byte[256];
    private int length;

    public MessageWriter(ushort type, MessageFlags flags)
    {
        length = NetlinkHeader.Size;
        new NetlinkHeader(0, type, flags, 0, 0).Write(buffer);
    }

    public int Length => length;

    /// <summary>Appends a fixed family header (ifinfomsg, rtmsg, genlmsghdr...), zero-padded to 4 bytes.</summary>
    public MessageWriter WriteStruct<T>(in T value)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));
        bytes.CopyTo(Reserve(bytes.Length));
        return this;
    }

    public MessageWriter Attribute(ushort type, ReadOnlySpan<byte> payload)
    {
        var attributeLength = 4 + payload.Length;
        if (attributeLength > ushort.MaxValue)
        {
            throw new NetlinkProtocolException($"attribute {type} has {payload.Length} bytes, more than nla_len can hold");
        }

        var target = Reserve(attributeLength);
        MemoryMarshal.Write(target, (ushort)attributeLength);
        MemoryMarshal.Write(target[2..], type);
        payload.CopyTo(target[4..]);
        return this;
    }

    public MessageWriter U8(ushort type, byte value) => Attribute(type, [value]);

    public MessageWriter U16(ushort type, ushort value) => Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<ushort>(in value)));

    public MessageWriter U32(ushort type, uint value) => Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in value)));

    public MessageWriter S32(ushort type, int value) => Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<int>(in value)));

    public MessageWriter U64(ushort type, ulong value) => Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<ulong>(in value)));

    /// <summary>A NUL-terminated string (IFLA_IFNAME, CTRL_ATTR_FAMILY_NAME, WGDEVICE_A_IFNAME).</summary>
    public MessageWriter String(ushort type, string value)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[^1] = 0;
        return Attribute(type, bytes);
    }

    /// <summary>A string without NUL, as iproute2 sends IFLA_INFO_KIND.</summary>
    public MessageWriter StringWithoutNul(ushort type, string value) => Attribute(type, Encoding.UTF8.GetBytes(value));

    /// <summary>
    /// Opens a nest; close it with <see cref="EndNest"/>. rtnetlink accepts nests without NLA_F_NESTED (iproute2 omits
    /// it); generic netlink families with strict policies want it, so the caller chooses.
    /// </summary>
    public Nest BeginNest(ushort type, bool setNestedFlag)
    {
        var start = length;
        var header = Reserve(4);
        MemoryMarshal.Write(header[2..], (ushort)(setNestedFlag ? type | AttributeType.Nested : type));
        return new Nest(start);
    }

    /// <summary>The nest's length covers its children including the last child's padding (tail - start).</summary>
    public MessageWriter EndNest(Nest nest)
    {
        var nestLength = length - nest.Start;
        if (nestLength > ushort.MaxValue)
        {
            throw new NetlinkProtocolException($"nest at offset {nest.Start} is {nestLength} bytes, more than nla_len can hold");
        }

        MemoryMarshal.Write(buffer.AsSpan(nest.Start), (ushort)nestLength);
        return this;
    }

    /// <summary>The finished message with nlmsg_len filled in.</summary>
    public byte[] ToArray()
    {
        MemoryMarshal.Write(buffer.AsSpan(), (uint)length);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Appends <paramref name="size"/> bytes plus zeroed padding to the next 4-byte boundary.</summary>
    private Span<byte> Reserve(int size)
    {
        var aligned = Alignment.Align4(size);
        if (length + aligned > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + aligned));
        }

        var span = buffer.AsSpan(length, aligned);
        span.Clear();
        length += aligned;
        return span[..size];
    }

    public readonly record struct Nest(int Start);
}
