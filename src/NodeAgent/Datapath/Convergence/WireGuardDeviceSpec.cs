using System.Net;

namespace WgIsolate.Datapath.Convergence;

// PROVISIONAL until the wireguard branch lands: keys as base64 text. Replaced by the WireGuard key types.
public sealed record WireGuardDeviceSpec(string PrivateKey, int ListenPort, IReadOnlyList<WireGuardPeerSpec> Peers);

public sealed record WireGuardPeerSpec(
    string PublicKey,
    IPEndPoint? Endpoint,
    IReadOnlyList<IPNetwork> AllowedIPs,
    string? PresharedKey = null,
    int? PersistentKeepalive = null);
