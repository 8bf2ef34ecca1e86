using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Protocol;

public class AttributeReaderTests
{
    [Fact]
    public void Iterate_ReadsTypesPayloadsAndNestsMaskingFlagBits()
    {
        var bytes = Hex.Parse("08 00 03 00 77 67 78 00 10 00 12 80 09 00 01 00 76 65 74 68 00 00 00 00 06 00 05 00 2a 00 00 00");
        var seen = new List<string>();
        foreach (var attribute in new AttributeReader(bytes))
        {
            if (attribute.Type == 0x12)
            {
                Assert.True(attribute.IsNested);
                foreach (var child in attribute.Nested())
                {
                    seen.Add($"child {child.Type}={child.String()}");
                }
            }
            else if (attribute.Type == 3)
            {
                seen.Add($"name={attribute.String()}");
            }
            else
            {
                seen.Add($"{attribute.Type}={attribute.U16()}");
            }
        }

        Assert.Equal(["name=wgx", "child 1=veth", "5=42"], seen);
    }

    [Fact]
    public void Iterate_AttributeLongerThanBuffer_Throws()
    {
        var bytes = Hex.Parse("10 00 01 00 00 00 00 00");

        Assert.Throws<NetlinkProtocolException>(() =>
        {
            foreach (var unused in new AttributeReader(bytes))
            {
            }
        });
    }

    [Fact]
    public void U32_OnShortPayload_Throws()
    {
        var bytes = Hex.Parse("06 00 01 00 01 02 00 00");

        Assert.Throws<NetlinkProtocolException>(() =>
        {
            foreach (var attribute in new AttributeReader(bytes))
            {
                attribute.U32();
            }
        });
    }
}
