using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace WgIsolate.Datapath.Nftables;

/// <summary>
/// An app namespace's whole ruleset belongs to WgIsolate. It is replaced in one transaction (flush ruleset, the
/// user's rules, and an empty marker table naming the hash of the text) so a syntax error leaves the old rules
/// in place. A second marker records the hash of nft's own listing right after the load; when the listing no
/// longer matches it, someone changed the rules by hand and the next convergence loads them again.
/// </summary>
public static partial class ManagedRuleset
{
    private const string MarkerPrefix = "wgisolate_";

    public static string ReplaceCommands(string ruleset, string desiredHash) =>
        $"flush ruleset\n{ruleset.TrimEnd()}\ntable inet {MarkerPrefix}d{desiredHash} {{\n}}\n";

    public static string RecordListingCommand(string listing) => $"add table inet {MarkerPrefix}l{ListingHash(listing)}\n";

    public const string FlushCommand = "flush ruleset\n";

    public const string ListCommand = "list ruleset\n";

    /// <summary>
    /// From `list ruleset` output: the desired hash when the rules are exactly what was loaded, null when the
    /// namespace has no rules at all, and a value no desired hash equals when the rules are anybody else's.
    /// </summary>
    public static string? LoadedHash(string listing)
    {
        var desired = Marker().Matches(listing).Select(m => m.Groups[1].Value).FirstOrDefault(v => v.StartsWith('d'));
        var recorded = Marker().Matches(listing).Select(m => m.Groups[1].Value).FirstOrDefault(v => v.StartsWith('l'));
        var userRules = WithoutMarkers(listing);
        if (desired is null)
        {
            return userRules.Trim().Length == 0 ? null : "unmanaged";
        }

        return recorded is not null && recorded[1..] == ListingHash(userRules) ? desired[1..] : "changed-by-hand";
    }

    /// <summary>The listing without WgIsolate's marker tables, which are always empty blocks.</summary>
    public static string WithoutMarkers(string listing) => MarkerBlock().Replace(listing, "");

    private static string ListingHash(string listing) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WithoutMarkers(listing).Trim())))[..16];

    [GeneratedRegex(@"(?m)^table inet wgisolate_([dl][0-9a-f]+) \{")]
    private static partial Regex Marker();

    [GeneratedRegex(@"(?m)^table inet wgisolate_[dl][0-9a-f]+ \{\s*\}\n?")]
    private static partial Regex MarkerBlock();
}
