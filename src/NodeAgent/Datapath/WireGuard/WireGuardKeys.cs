using NSec.Cryptography;

namespace WgIsolate.Datapath.WireGuard;

/// <summary>
/// Curve25519 keys as WireGuard uses them, in the base64 form `wg genkey` prints. Private keys are stored
/// clamped (k[0] &amp;= 248; k[31] = (k[31] &amp; 127) | 64) so that they read back exactly as `wg show` shows them.
/// </summary>
public static class WireGuardKeys
{
    public static string GeneratePrivateKey()
    {
        using var key = Key.Create(KeyAgreementAlgorithm.X25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var raw = key.Export(KeyBlobFormat.RawPrivateKey);
        Clamp(raw);
        var text = Convert.ToBase64String(raw);
        Array.Clear(raw);
        return text;
    }

    public static string PublicKeyOf(string privateKeyBase64)
    {
        var raw = Decode(privateKeyBase64, "private key");
        try
        {
            using var key = Key.Import(KeyAgreementAlgorithm.X25519, raw, KeyBlobFormat.RawPrivateKey);
            return Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        }
        finally
        {
            Array.Clear(raw);
        }
    }

    /// <summary>A preshared key is 32 random bytes, not clamped.</summary>
    public static string GeneratePresharedKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static byte[] Decode(string base64, string what)
    {
        var bytes = new byte[32];
        if (base64.Length != 44 || !Convert.TryFromBase64String(base64, bytes, out var written) || written != 32)
        {
            throw new FormatException($"not a WireGuard {what}: expected 44 characters of base64 encoding 32 bytes");
        }

        return bytes;
    }

    private static void Clamp(byte[] key)
    {
        key[0] &= 248;
        key[31] = (byte)((key[31] & 127) | 64);
    }
}
