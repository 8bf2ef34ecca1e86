using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using WgIsolate.Datapath.Convergence;

namespace WgIsolate.Datapath.Nftables;

/// <summary>
/// WgIsolate's one NAT table on the host: each app that asked for NAT has its egress sources masqueraded when
/// they leave by any interface but their own veth. The table is rendered whole from the list and replaced in
/// one transaction (add + delete + define, so it works whether or not it existed); other tables are untouched.
/// </summary>
public static partial class HostNatTable
{
    public const string DefaultTable = "wgisolate_nat";

    public static string ReplaceCommands(string table, IReadOnlyList<NatSource> sources)
    {
        var text = new StringBuilder($"add table inet {table}\ndelete table inet {table}\n");
        if (sources.Count == 0)
        {
            return text.ToString();
        }

        text.Append($"table inet {table} {{\n\tchain postrouting {{\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        foreach (var source in sources)
        {
            var family = source.Source.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "ip" : "ip6";
            text.Append($"\t\t{family} saddr {source.Source} oifname != \"{source.HostInterface}\" masquerade\n");
        }

        return text.Append("\t}\n}\n").ToString();
    }

    public static string ListCommand(string table) => $"list table inet {table}\n";

    /// <summary>The sources in a `list table` output, in rule order.</summary>
    public static IReadOnlyList<NatSource> Parse(string listing) =>
        Rule().Matches(listing).Select(m => new NatSource(IPNetwork.Parse(Normalize(m.Groups[1].Value)), m.Groups[2].Value)).ToList();

    // nft prints a /128 or /32 source as a bare address.
    private static string Normalize(string source) =>
        source.Contains('/') ? source : $"{source}/{(IPAddress.Parse(source).AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}";

    [GeneratedRegex("""ip6? saddr (\S+) oifname != "([^"]+)" masquerade""")]
    private static partial Regex Rule();
}
