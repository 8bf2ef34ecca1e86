using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.WireGuard.Tests;

public sealed class KeyTests
{
    // RFC 7748 §6.1; the private vectors are unclamped, which X25519 tolerates.
    private const string AlicePrivate = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    private const string AlicePublic = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";
    private const string BobPrivate = "XasIfmJKikt54X+Lg4AO5m87sSkmGLb9HC+LJ/+I4Os=";
    private const string BobPublic = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=";

    [Theory]
    [InlineData(AlicePrivate, AlicePublic)]
    [InlineData(BobPrivate, BobPublic)]
    public void PublicKeyOf_Rfc7748Vector_MatchesPublishedPublicKey(string privateKey, string publicKey) =>
        Assert.Equal(publicKey, WireGuardKeys.PublicKeyOf(privateKey));

    [Fact]
    public void GeneratePrivateKey_IsClampedAsWgShowsIt()
    {
        for (var i = 0; i < 50; i++)
        {
            var raw = Convert.FromBase64String(WireGuardKeys.GeneratePrivateKey());
            Assert.Equal(32, raw.Length);
            Assert.Equal(0, raw[0] & 7);
            Assert.Equal(64, raw[31] & 192);
        }
    }

    [Fact]
    public void GeneratePrivateKey_TwiceGivesDifferentKeysWithDifferentPublicKeys()
    {
        var (a, b) = (WireGuardKeys.GeneratePrivateKey(), WireGuardKeys.GeneratePrivateKey());
        Assert.NotEqual(a, b);
        Assert.NotEqual(WireGuardKeys.PublicKeyOf(a), WireGuardKeys.PublicKeyOf(b));
    }

    [Fact]
    public void GeneratePresharedKey_Is32RandomBytes()
    {
        var psk = WireGuardKeys.GeneratePresharedKey();
        Assert.Equal(32, Convert.FromBase64String(psk).Length);
        Assert.NotEqual(psk, WireGuardKeys.GeneratePresharedKey());
    }

    [Theory]
    [InlineData("")]
    [InlineData("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LC=")]
    [InlineData("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo")]
    [InlineData("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")]
    public void Decode_NotBase64Of32Bytes_ThrowsNamingWhatWasExpected(string text)
    {
        var error = Assert.Throws<FormatException>(() => WireGuardKeys.Decode(text, "private key"));
        Assert.Contains("private key", error.Message);
        Assert.Contains("44 characters", error.Message);
    }

    [Fact]
    public void DeviceAndConfigToString_NeverPrintThePrivateKey()
    {
        var device = new WireGuardDevice(AlicePrivate, 51820, []);
        var config = new DeviceConfig { PrivateKey = AlicePrivate };
        Assert.DoesNotContain(AlicePrivate, device.ToString());
        Assert.Contains(AlicePublic, device.ToString());
        Assert.DoesNotContain(AlicePrivate, config.ToString());
    }
}
