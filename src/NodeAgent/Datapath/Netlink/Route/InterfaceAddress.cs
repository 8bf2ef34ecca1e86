using System.Net;
using System.Net.Sockets;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>An address as configured on an interface, host bits included: fd01::1/64, 10.50.0.1/24.</summary>
public readonly record struct InterfaceAddress
{
    public InterfaceAddress(IPAddress address, int prefixLength)
    {
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"address {address} is neither IPv4 nor IPv6", nameof(address));
        }

        var maximum = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength < 0 || prefixLength > maximum)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), $"prefix length {prefixLength} of {address} is outside 0..{maximum}");
        }

        Address = address;
        PrefixLength = prefixLength;
    }

    public IPAddress Address { get; }

    public int PrefixLength { get; }

    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The network the address sits in, host bits cleared: fd00::1/64 is in fd00::/64.</summary>
    public IPNetwork Network
    {
        get
        {
            var bytes = Address.GetAddressBytes();
            for (var bit = PrefixLength; bit < bytes.Length * 8; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }

            return new IPNetwork(new IPAddress(bytes), PrefixLength);
        }
    }

    public static InterfaceAddress Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address) || !int.TryParse(text.AsSpan(slash + 1), out var length))
        {
            throw new FormatException($"'{text}' is not an address with prefix length such as fd01::1/64");
        }

        return new InterfaceAddress(address, length);
    }

    public override string ToString() => $"{Address}/{PrefixLength}";
}
