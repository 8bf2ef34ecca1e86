using System.Net;
using WgIsolate.Datapath.Convergence;

namespace WgIsolate.Datapath.WireGuard;

/// <summary>
/// `wg syncconf` as a pure function: the smallest <see cref="DeviceConfig"/> that takes a device from what it is
/// to what is desired. Peers that do not change are not mentioned at all, so their sessions and handshakes are
/// undisturbed; allowed IPs are replaced only for peers whose set changed. Endpoints are set for new peers and
/// when the desired endpoint itself changed — never merely because the live one differs, since WireGuard
/// follows a peer that roams and pinning it back would cut it off.
/// </summary>
public static class WireGuardSync
{
    /// <param name="appliedEndpoints">The endpoints last configured on this device (<see cref="EndpointsOf"/>), or null
    /// when unknown: then a live endpoint that differs from the desired one is set back.</param>
    public static DeviceConfig Diff(WireGuardDevice current, WireGuardDeviceSpec desired, IReadOnlyDictionary<string, IPEndPoint?>? appliedEndpoints)
    {
        var peers = new List<PeerConfig>();
        var currentPeers = current.Peers.ToDictionary(p => p.PublicKey, StringComparer.Ordinal);
        var wanted = desired.Peers.Select(p => p.PublicKey).ToHashSet(StringComparer.Ordinal);

        foreach (var gone in current.Peers.Where(p => !wanted.Contains(p.PublicKey)))
        {
            peers.Add(new PeerConfig(gone.PublicKey) { Remove = true });
        }

        foreach (var peer in desired.Peers)
        {
            if (!currentPeers.TryGetValue(peer.PublicKey, out var live))
            {
                peers.Add(new PeerConfig(peer.PublicKey)
                {
                    PresharedKey = peer.PresharedKey,
                    Endpoint = peer.Endpoint,
                    PersistentKeepalive = peer.PersistentKeepalive ?? 0,
                    ReplaceAllowedIPs = true,
                    AllowedIPs = peer.AllowedIPs,
                });
                continue;
            }

            var desiredPsk = peer.PresharedKey ?? PeerConfig.NoPresharedKey;
            var endpointChanged = peer.Endpoint is not null && !Equals(live.Endpoint, peer.Endpoint)
                && (appliedEndpoints is null || !appliedEndpoints.TryGetValue(peer.PublicKey, out var was) || !Equals(was, peer.Endpoint));
            var allowedChanged = !live.AllowedIPs.ToHashSet().SetEquals(peer.AllowedIPs);
            var update = new PeerConfig(peer.PublicKey)
            {
                UpdateOnly = true,
                PresharedKey = (live.PresharedKey ?? PeerConfig.NoPresharedKey) == desiredPsk ? null : desiredPsk,
                Endpoint = endpointChanged ? peer.Endpoint : null,
                PersistentKeepalive = live.PersistentKeepalive == (peer.PersistentKeepalive ?? 0) ? null : peer.PersistentKeepalive ?? 0,
                ReplaceAllowedIPs = allowedChanged,
                AllowedIPs = allowedChanged ? peer.AllowedIPs : [],
            };
            if (update.PresharedKey is not null || update.Endpoint is not null || update.PersistentKeepalive is not null || allowedChanged)
            {
                peers.Add(update);
            }
        }

        return new DeviceConfig
        {
            PrivateKey = current.PrivateKey == desired.PrivateKey ? null : desired.PrivateKey,
            ListenPort = current.ListenPort == desired.ListenPort ? null : desired.ListenPort,
            Peers = peers,
        };
    }

    /// <summary>The endpoints a spec configures, by peer public key: what to remember once it is applied.</summary>
    public static IReadOnlyDictionary<string, IPEndPoint?> EndpointsOf(WireGuardDeviceSpec spec) =>
        spec.Peers.ToDictionary(p => p.PublicKey, p => p.Endpoint, StringComparer.Ordinal);

    /// <summary>What the device looks like after <paramref name="config"/> is applied: used to prove the diff.</summary>
    public static WireGuardDevice Apply(WireGuardDevice device, DeviceConfig config)
    {
        var peers = config.ReplacePeers ? [] : device.Peers.ToDictionary(p => p.PublicKey, StringComparer.Ordinal);
        foreach (var change in config.Peers)
        {
            if (change.Remove)
            {
                peers.Remove(change.PublicKey);
                continue;
            }

            if (!peers.TryGetValue(change.PublicKey, out var peer))
            {
                if (change.UpdateOnly)
                {
                    continue;
                }

                peer = new WireGuardPeer(change.PublicKey, null, null, null, 0, 0, 0, []);
            }

            var psk = change.PresharedKey is null ? peer.PresharedKey : change.PresharedKey == PeerConfig.NoPresharedKey ? null : change.PresharedKey;
            peers[change.PublicKey] = peer with
            {
                PresharedKey = psk,
                Endpoint = change.Endpoint ?? peer.Endpoint,
                PersistentKeepalive = change.PersistentKeepalive ?? peer.PersistentKeepalive,
                AllowedIPs = change.ReplaceAllowedIPs ? [.. change.AllowedIPs] : [.. peer.AllowedIPs, .. change.AllowedIPs],
            };
        }

        return new WireGuardDevice(config.PrivateKey ?? device.PrivateKey, config.ListenPort ?? device.ListenPort, [.. peers.Values]);
    }
}
