using WgIsolate.Core.Allocation;
using WgIsolate.Core.Api;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.NodeAgent.Cli;
using WgIsolate.NodeAgent.HostMode.Planning;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>
/// `status`: the apps of the folder the last `up` used, compared with what the kernel holds right now. Takes no
/// lock and writes nothing, so it works while `up` runs; an app without a key yet has never been brought up.
/// </summary>
internal static class HostStatus
{
    public static IReadOnlyList<AppStatus> Read(HostState state, TimeProvider time)
    {
        var last = state.LastUpSettings()
            ?? throw new HostCommandException($"no `wgisolate up` has run with the state directory {state.Directory}");
        var set = ManifestFolder.Load(last.Manifests);
        if (!set.IsValid)
        {
            throw new HostCommandException($"{last.Manifests} is invalid now; run `wgisolate up` to see every problem");
        }

        var scope = new HostScope(state.Directory);
        var allocator = new Allocator(state.LoadAllocations(time));
        var plan = HostPlanner.Plan(set.Apps, allocator, last.EndpointAddress, ReadOnlyKey(state), _ => WireGuardKeys.GeneratePresharedKey(), scope.OwnerPrefix);
        var (dataplane, _) = HostDataplane.Open(scope);
        using (dataplane)
        {
            var deviations = HostInspection.Verify(dataplane, plan);
            return plan.Apps.Select(app =>
            {
                var device = HostInspection.ReadWireGuard(dataplane, app.Network);
                var peers = app.Peers.Select(p => PeerOf(p, app.Interface.Peers.FirstOrDefault(s => s.App.Name == p.Name), device, time)).ToList();
                var appDeviations = deviations[app.App.ToString()];
                return new AppStatus(
                    app.App.ToString(),
                    "/run/netns/" + app.Network.Netns,
                    app.Interface.InterfaceName,
                    app.Interface.Address,
                    app.Interface.ListenPort,
                    peers,
                    appDeviations,
                    Isolated: appDeviations.Count == 0,
                    Ready: appDeviations.Count == 0 && device is not null);
            }).ToList();
        }
    }

    private static PeerReport PeerOf(PeerStatus status, NodePeerSpec? spec, WireGuardDevice? device, TimeProvider time)
    {
        var live = spec is null ? null : device?.Peers.FirstOrDefault(p => p.PublicKey == spec.PublicKey);
        return new PeerReport(
            status.Name,
            status.State,
            live?.LastHandshake is { } handshake ? (long)(time.GetUtcNow() - handshake).TotalSeconds : null,
            live?.ReceivedBytes ?? 0,
            live?.TransmittedBytes ?? 0);
    }

    /// <summary>The app's key where `up` keeps it; a throwaway one for an app `up` has not seen yet.</summary>
    private static Func<string, string> ReadOnlyKey(HostState state) => app =>
    {
        var credentials = Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY");
        var path = new[] { credentials is null ? null : Path.Combine(credentials, app + ".key"), Path.Combine(state.Directory, "keys", app + ".key") }
            .FirstOrDefault(p => p is not null && File.Exists(p));
        return path is null ? WireGuardKeys.GeneratePrivateKey() : File.ReadAllText(path).Trim();
    };
}

internal sealed record AppStatus(
    string App,
    string Netns,
    string Interface,
    string Address,
    int ListenPort,
    IReadOnlyList<PeerReport> Peers,
    IReadOnlyList<string> Deviations,
    bool Isolated,
    bool Ready);

internal sealed record PeerReport(string Name, string State, long? LastHandshakeSecondsAgo, long ReceivedBytes, long TransmittedBytes);
