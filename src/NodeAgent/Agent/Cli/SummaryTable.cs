using WgIsolate.NodeAgent.HostMode.Planning;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>The per-app table `plan` and `up` print.</summary>
internal static class SummaryTable
{
    /// <param name="stateOf">Adds a STATE column (what `up` found), when given.</param>
    public static void Write(TextWriter output, HostPlan plan, Func<PlannedApp, string>? stateOf = null)
    {
        output.WriteLine($"cluster prefix {plan.ClusterPrefix}");
        var rows = plan.Apps.Select(a => new[]
        {
            a.App.ToString(),
            "/run/netns/" + a.Network.Netns,
            a.Interface.InterfaceName,
            a.Interface.Address,
            a.Interface.ListenPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            a.Peers.Count == 0 ? "-" : string.Join(", ", a.Peers.Select(p => $"{p.Name} ({p.State})")),
        }.Concat(stateOf is null ? [] : [stateOf(a)]).ToArray()).ToList();
        string[] header = ["APP", "NETNS", "INTERFACE", "ADDRESS", "PORT", "PEERS"];
        Write(output, stateOf is null ? header : [.. header, "STATE"], rows);
    }

    public static void Write(TextWriter output, string[] header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
