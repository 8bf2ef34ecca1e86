using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using WgIsolate.NodeAgent.HostMode.Runtime;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>`wgisolate status`: every app, its peers and whether it is isolated; exit 1 when one is not ready.</summary>
internal static class StatusCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var state = StateOption.Create();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("status", "Show every app of the last `up`: namespace, address, peers, handshakes, isolation.") { state, json };
        command.SetAction(result =>
        {
            IReadOnlyList<AppStatus> apps;
            try
            {
                apps = HostStatus.Read(new HostState(result.GetValue(state)!), TimeProvider.System);
            }
            catch (HostCommandException ex)
            {
                result.InvocationConfiguration.Error.WriteLine(ex.Message);
                return ExitCodes.InvalidInput;
            }

            var output = result.InvocationConfiguration.Output;
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(apps, Json));
            }
            else
            {
                WriteTable(output, apps);
            }

            return apps.All(a => a.Ready) ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<AppStatus> apps)
    {
        var rows = apps.Select(a => new[]
        {
            a.App,
            a.Netns,
            a.Interface,
            a.Address,
            a.ListenPort.ToString(CultureInfo.InvariantCulture),
            a.Peers.Count == 0 ? "-" : string.Join(", ", a.Peers.Select(Describe)),
            a.Isolated ? "Isolated" : "NOT isolated: " + string.Join("; ", a.Deviations),
        }).ToList();
        SummaryTable.Write(output, ["APP", "NETNS", "INTERFACE", "ADDRESS", "PORT", "PEERS", "ISOLATION"], rows);
    }

    private static string Describe(PeerReport peer) => peer.LastHandshakeSecondsAgo is { } age
        ? $"{peer.Name} ({peer.State}, handshake {age} s ago, rx {peer.ReceivedBytes} B, tx {peer.TransmittedBytes} B)"
        : $"{peer.Name} ({peer.State}, no handshake)";
}
