using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;

namespace WgIsolate.Core.Addressing;

/// <summary>
/// RFC 4193 §3.2.2: a locally assigned ULA /48 is fd00::/8 followed by a 40-bit global ID, the low 40 bits of
/// SHA-1(64-bit NTP time ‖ EUI-64). Time and the MAC are passed in, so the result is reproducible in tests.
/// </summary>
public static class UniqueLocalPrefix
{
    // NTP counts seconds from 1900-01-01; Unix from 1970-01-01.
    private const long NtpEpochOffsetSeconds = 2_208_988_800;

    public static IPNetwork Generate(DateTimeOffset now, PhysicalAddress mac) => FromGlobalId(GlobalId(now, Eui64(mac)));

    public static ulong GlobalId(DateTimeOffset now, ReadOnlySpan<byte> eui64)
    {
        if (eui64.Length != 8)
        {
            throw new ArgumentException("an EUI-64 has 8 bytes", nameof(eui64));
        }

        Span<byte> key = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(key, NtpTimestamp(now));
        eui64.CopyTo(key[8..]);
        Span<byte> digest = stackalloc byte[20];
        SHA1.HashData(key, digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest[12..]) & 0xFF_FFFF_FFFF;
    }

    public static IPNetwork FromGlobalId(ulong globalId)
    {
        if (globalId > 0xFF_FFFF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(globalId), "a global ID has 40 bits");
        }

        var bytes = new byte[16];
        bytes[0] = 0xfd;
        for (var i = 0; i < 5; i++)
        {
            bytes[1 + i] = (byte)(globalId >> (8 * (4 - i)));
        }

        return new IPNetwork(new IPAddress(bytes), 48);
    }

    /// <summary>64-bit NTP format: seconds since 1900 in the high word, the binary fraction in the low word.</summary>
    public static ulong NtpTimestamp(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = (ulong)(Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder) + NtpEpochOffsetSeconds);
        var fraction = (ulong)(((UInt128)(ulong)remainder << 32) / TimeSpan.TicksPerSecond);
        return (seconds << 32) | fraction;
    }

    /// <summary>Modified EUI-64 from a 48-bit MAC (RFC 4291 appendix A): FFFE in the middle, the U/L bit flipped.</summary>
    public static byte[] Eui64(PhysicalAddress mac)
    {
        var m = mac.GetAddressBytes();
        if (m.Length != 6)
        {
            throw new ArgumentException($"expected a 48-bit MAC address, got {m.Length} bytes", nameof(mac));
        }

        return [(byte)(m[0] ^ 0x02), m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]];
    }
}
