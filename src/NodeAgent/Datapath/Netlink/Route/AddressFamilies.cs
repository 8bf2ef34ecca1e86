using System.Net;
using System.Net.Sockets;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>The kernel's AF_INET (2) / AF_INET6 (10), which differ from .NET's AddressFamily numbers.</summary>
public static class AddressFamilies
{
    public const byte Inet = 2;
    public const byte Inet6 = 10;

    public static byte Of(IPAddress address) => Of(address.AddressFamily);

    public static byte Of(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => Inet,
        AddressFamily.InterNetworkV6 => Inet6,
        _ => throw new ArgumentException($"address family {family} is neither IPv4 nor IPv6"),
    };

    public static AddressFamily ToDotNet(byte family) => family switch
    {
        Inet => AddressFamily.InterNetwork,
        Inet6 => AddressFamily.InterNetworkV6,
        _ => AddressFamily.Unknown,
    };

    public static byte[] Bytes(IPAddress address) => address.GetAddressBytes();
}
