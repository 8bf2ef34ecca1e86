using System.CommandLine;
using System.Net;
using WgIsolate.Core.Allocation;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.NodeAgent.HostMode.Planning;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>
/// `wgisolate plan`: what `up` would realise for a folder of IsolatedApps — names, addresses, ports, links —
/// without touching the host or the state directory (apps without a key yet get a throwaway one).
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var manifests = new Option<string>("--manifests") { Description = "Folder of IsolatedApp *.yaml files.", Required = true };
        var state = new Option<string>("--state") { Description = "State directory to read allocations and keys from.", DefaultValueFactory = _ => HostState.DefaultDirectory };
        var endpoint = new Option<string?>("--endpoint-address") { Description = "Address peers reach this host at (default: its first global address)." };
        var command = new Command("plan", "Show what `up` would do for a folder of IsolatedApps, changing nothing.") { manifests, state, endpoint };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var set = ManifestFolder.Load(result.GetValue(manifests)!);
            if (!set.IsValid)
            {
                ManifestFolder.ReportErrors(result.InvocationConfiguration.Error, set, skipped: false);
                return ExitCodes.InvalidInput;
            }

            var host = new HostState(result.GetValue(state)!);
            var allocator = new Allocator(host.LoadAllocations(TimeProvider.System));
            var keysDir = Path.Combine(host.Directory, "keys");
            var plan = HostPlanner.Plan(
                set.Apps,
                allocator,
                result.GetValue(endpoint) is { } e ? IPAddress.Parse(e) : HostState.DefaultEndpointAddress(),
                app => File.Exists(Path.Combine(keysDir, app + ".key")) ? File.ReadAllText(Path.Combine(keysDir, app + ".key")).Trim() : WireGuardKeys.GeneratePrivateKey(),
                _ => WireGuardKeys.GeneratePresharedKey());
            SummaryTable.Write(output, plan);
            return ExitCodes.Ok;
        });
        return command;
    }
}
