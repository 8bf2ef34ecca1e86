using System.Net;

namespace WgIsolate.Core.Validation;

/// <summary>
/// Strict prefix parsing: "10.0.0.0/8" and "2001:db8::/32" only. A bare address or one with host bits set is
/// refused — <c>10.1.2.3/8</c> almost always means a typo, and routes are installed as networks.
/// </summary>
public static class Cidr
{
    public static bool TryParse(string text, out IPNetwork network, out string? problem)
    {
        network = default;
        problem = null;
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
            || length > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            || text.AsSpan(0, slash).Contains('%'))
        {
            problem = $"\"{text}\" is not a CIDR";
            return false;
        }

        // .NET's parser masks host bits away silently in some versions; compare with the address as written.
        if (!IPNetwork.TryParse(text, out network) || !network.BaseAddress.Equals(address))
        {
            problem = $"\"{text}\" has host bits set; write the network, e.g. \"{new IPNetwork(Masked(address, length), length)}\"";
            return false;
        }

        return true;
    }

    private static IPAddress Masked(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}
