using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>One attribute inside a message or nest: its type (flag bits removed) and its payload.</summary>
public readonly ref struct NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload)
{
    public ushort Type => (ushort)(rawType & AttributeType.Mask);

    public bool IsNested => (rawType & AttributeType.Nested) != 0;

    public ReadOnlySpan<byte> Payload { get; } = payload;

    public byte U8() => Fixed<byte>();

    public ushort U16() => Fixed<ushort>();

    public uint U32() => Fixed<uint>();

    public int S32() => Fixed<int>();

    public ulong U64() => Fixed<ulong>();

    /// <summary>The string up to the first NUL (or the whole payload when the sender omitted it).</summary>
    public string String()
    {
        var end = Payload.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Payload : Payload[..end]);
    }

    public AttributeReader Nested() => new(Payload);

    private T Fixed<T>()
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (Payload.Length < size)
        {
            throw new NetlinkProtocolException($"attribute {Type} has {Payload.Length} bytes, expected {size}");
        }

        return MemoryMarshal.Read<T>(Payload);
    }
}
