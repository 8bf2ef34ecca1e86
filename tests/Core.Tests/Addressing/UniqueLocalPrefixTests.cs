using CsCheck;
using System.Net;
using System.Net.NetworkInformation;
using WgIsolate.Core.Addressing;

namespace WgIsolate.Core.Tests.Addressing;

public class UniqueLocalPrefixTests
{
    // Computed by hand (Python hashlib) from RFC 4193 §3.2.2 for 2026-11-25T00:00:00Z and MAC 52:54:00:12:34:56:
    // NTP eeb0a380 00000000, EUI-64 505400fffe123456, SHA-1 7a9198…490da1b6c8e3, global ID 0da1b6c8e3.
    [Fact]
    public void Generate_KnownTimeAndMac_GivesHandComputedPrefix()
    {
        var prefix = UniqueLocalPrefix.Generate(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), PhysicalAddress.Parse("52-54-00-12-34-56"));

        Assert.Equal(IPNetwork.Parse("fd0d:a1b6:c8e3::/48"), prefix);
    }

    [Fact]
    public void NtpTimestamp_UnixEpoch_IsSeventyYearsOfSeconds()
    {
        Assert.Equal(2_208_988_800UL << 32, UniqueLocalPrefix.NtpTimestamp(DateTimeOffset.UnixEpoch));
        Assert.Equal((2_208_988_800UL << 32) | 0x8000_0000UL, UniqueLocalPrefix.NtpTimestamp(DateTimeOffset.UnixEpoch.AddMilliseconds(500)));
    }

    [Fact]
    public void Eui64_FromMac_InsertsFffeAndFlipsUniversalLocalBit()
    {
        Assert.Equal(Convert.FromHexString("505400fffe123456"), UniqueLocalPrefix.Eui64(PhysicalAddress.Parse("52-54-00-12-34-56")));
    }

    [Fact]
    public void Generate_AnyInput_IsALocallyAssignedUla48()
    {
        Gen.Select(Gen.Long[0, DateTimeOffset.MaxValue.UtcTicks / 2], Gen.Byte.Array[6])
            .Sample((ticks, mac) =>
            {
                var prefix = UniqueLocalPrefix.Generate(new DateTimeOffset(ticks, TimeSpan.Zero), new PhysicalAddress(mac));
                var bytes = prefix.BaseAddress.GetAddressBytes();
                return prefix.PrefixLength == 48 && bytes[0] == 0xfd && bytes.Skip(6).All(b => b == 0);
            }, iter: 500);
    }

    [Fact]
    public void FromGlobalId_MoreThan40Bits_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UniqueLocalPrefix.FromGlobalId(1UL << 40));
    }
}
