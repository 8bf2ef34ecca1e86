using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>Iterates 4-aligned attributes; <c>foreach (var a in new AttributeReader(span))</c>.</summary>
public ref struct AttributeReader(ReadOnlySpan<byte> attributes)
{
    private ReadOnlySpan<byte> remaining = attributes;
    private ushort currentType;
    private ReadOnlySpan<byte> currentPayload;

    public readonly NetlinkAttribute Current => new(currentType, currentPayload);

    public readonly AttributeReader GetEnumerator() => this;

    public bool MoveNext()
    {
        // Trailing bytes shorter than an attribute header are padding, as the kernel's nla_for_each_attr treats them.
        if (remaining.Length < 4)
        {
            return false;
        }

        var length = MemoryMarshal.Read<ushort>(remaining);
        if (length < 4 || length > remaining.Length)
        {
            throw new NetlinkProtocolException($"attribute length {length} is invalid with {remaining.Length} bytes left");
        }

        currentType = MemoryMarshal.Read<ushort>(remaining[2..]);
        currentPayload = remaining[4..length];
        remaining = remaining[Math.Min(Alignment.Align4(length), remaining.Length)..];
        return true;
    }
}
