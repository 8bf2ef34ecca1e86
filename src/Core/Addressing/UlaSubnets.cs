using System.Net;
using System.Net.Sockets;

namespace WgIsolate.Core.Addressing;

/// <summary>Positions inside the cluster /48: the n-th /64 (16-bit subnet ID) and the k-th address of a /64.</summary>
public static class UlaSubnets
{
    public const int MaxSubnetIndex = 0xFFFF;

    public static IPNetwork Subnet(IPNetwork cluster, int index)
    {
        RequireClusterPrefix(cluster);
        if (index is < 0 or > MaxSubnetIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"a /48 holds /64 subnets 0..{MaxSubnetIndex}");
        }

        var bytes = cluster.BaseAddress.GetAddressBytes();
        bytes[6] = (byte)(index >> 8);
        bytes[7] = (byte)index;
        return new IPNetwork(new IPAddress(bytes), 64);
    }

    public static IPAddress Address(IPNetwork subnet, ulong interfaceId)
    {
        if (subnet.BaseAddress.AddressFamily != AddressFamily.InterNetworkV6 || subnet.PrefixLength != 64)
        {
            throw new ArgumentException($"{subnet} is not an IPv6 /64", nameof(subnet));
        }

        var bytes = subnet.BaseAddress.GetAddressBytes();
        for (var i = 0; i < 8; i++)
        {
            bytes[15 - i] = (byte)(interfaceId >> (8 * i));
        }

        return new IPAddress(bytes);
    }

    public static void RequireClusterPrefix(IPNetwork cluster)
    {
        if (cluster.BaseAddress.AddressFamily != AddressFamily.InterNetworkV6 || cluster.PrefixLength != 48)
        {
            throw new ArgumentException($"{cluster} is not an IPv6 /48", nameof(cluster));
        }
    }
}
