using System.Security.Cryptography;
using System.Text;

namespace WgIsolate.Datapath.Convergence;

/// <summary>Identifies a ruleset by content, so the converger reloads it only when the text changed.</summary>
public static class RulesetHash
{
    public static string Of(string ruleset) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ruleset)))[..16];
}
