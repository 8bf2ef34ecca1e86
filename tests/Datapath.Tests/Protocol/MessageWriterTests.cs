using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Protocol;

public class MessageWriterTests
{
    [Fact]
    public void Attribute_OddPayload_IsPaddedWithZerosButLengthExcludesPadding()
    {
        var message = new MessageWriter(16, MessageFlags.Modify).Attribute(7, [0xAA, 0xBB, 0xCC, 0xDD, 0xEE]).ToArray();

        Assert.Equal("1c 00 00 00 10 00 05 00 00 00 00 00 00 00 00 00 09 00 07 00 aa bb cc dd ee 00 00 00", Hex.Format(message));
    }

    [Fact]
    public void Nest_LengthCoversChildrenIncludingLastChildsPadding()
    {
        var writer = new MessageWriter(16, MessageFlags.Modify);
        var nest = writer.BeginNest(0x12, setNestedFlag: false);
        writer.StringWithoutNul(1, "veth");
        writer.U8(2, 9);
        writer.EndNest(nest);

        Assert.Equal(
            "24 00 00 00 10 00 05 00 00 00 00 00 00 00 00 00 14 00 12 00 08 00 01 00 76 65 74 68 05 00 02 00 09 00 00 00",
            Hex.Format(writer.ToArray()));
    }

    [Fact]
    public void Nest_WithNestedFlag_SetsBit15()
    {
        var writer = new MessageWriter(16, MessageFlags.Modify);
        writer.EndNest(writer.BeginNest(8, setNestedFlag: true));

        Assert.Equal("04 00 08 80", Hex.Format(writer.ToArray().AsSpan(16)));
    }

    [Fact]
    public void String_IsNulTerminated_AndStringWithoutNulIsNot()
    {
        var message = new MessageWriter(16, MessageFlags.None).String(3, "wgx").StringWithoutNul(1, "wgx").ToArray();

        Assert.Equal("08 00 03 00 77 67 78 00 07 00 01 00 77 67 78 00", Hex.Format(message.AsSpan(16)));
    }

    [Fact]
    public void ToArray_GrowsPastInitialBuffer()
    {
        var writer = new MessageWriter(16, MessageFlags.None);
        for (var i = 0; i < 100; i++)
        {
            writer.U32(1, (uint)i);
        }

        var message = writer.ToArray();
        Assert.Equal(16 + 800, message.Length);
        Assert.Equal(816u, NetlinkHeader.Read(message).Length);
    }
}
