using System.Security.Cryptography;
using System.Text;

namespace WgIsolate.Core.Naming;

/// <summary>
/// Link names must fit IFNAMSIZ: 15 bytes. The seed's rule: <c>&lt;type&gt;-&lt;name&gt;</c> when that fits,
/// else <c>&lt;type&gt;-</c> followed by the SHA-256 hex of the name, cut to fit. Deterministic, so every run and
/// every node derives the same name without storing it.
/// </summary>
public static class InterfaceNames
{
    public const int MaxBytes = 15;

    public static string WireGuard(string name) => Make("wg", name);

    /// <summary>The veth end that stays in the host namespace.</summary>
    public static string VethHost(string name) => Make("veth1", name);

    /// <summary>The veth end inside the app's namespace.</summary>
    public static string VethApp(string name) => Make("veth2", name);

    public static string Make(string type, string name)
    {
        var plain = $"{type}-{name}";
        if (Encoding.UTF8.GetByteCount(plain) <= MaxBytes && IsValidName(plain))
        {
            return plain;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        var room = MaxBytes - type.Length - 1;
        if (room < 4)
        {
            throw new ArgumentException($"type \"{type}\" leaves no room for a name in {MaxBytes} bytes", nameof(type));
        }

        return $"{type}-{hash[..room]}";
    }

    /// <summary>The kernel refuses '/', ':' and whitespace in link names (dev_valid_name).</summary>
    private static bool IsValidName(string name) => !name.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c));
}
