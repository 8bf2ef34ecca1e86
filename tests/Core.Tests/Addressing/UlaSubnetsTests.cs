using System.Net;
using WgIsolate.Core.Addressing;

namespace WgIsolate.Core.Tests.Addressing;

public class UlaSubnetsTests
{
    private static readonly IPNetwork Cluster = IPNetwork.Parse("fd69:2d8e:610a::/48");

    [Theory]
    [InlineData(1, "fd69:2d8e:610a:1::/64")]
    [InlineData(0xabcd, "fd69:2d8e:610a:abcd::/64")]
    [InlineData(65535, "fd69:2d8e:610a:ffff::/64")]
    public void Subnet_Index_IsTheSixteenBitSubnetId(int index, string expected)
    {
        Assert.Equal(IPNetwork.Parse(expected), UlaSubnets.Subnet(Cluster, index));
    }

    [Theory]
    [InlineData(1UL, "fd69:2d8e:610a:1::1")]
    [InlineData(0x1_0000UL, "fd69:2d8e:610a:1::1:0")]
    public void Address_InterfaceId_FillsTheLow64Bits(ulong id, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), UlaSubnets.Address(UlaSubnets.Subnet(Cluster, 1), id));
    }

    [Fact]
    public void Subnet_OutsideTheSixteenBits_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UlaSubnets.Subnet(Cluster, 65536));
        Assert.Throws<ArgumentException>(() => UlaSubnets.Subnet(IPNetwork.Parse("fd00::/56"), 1));
    }
}
