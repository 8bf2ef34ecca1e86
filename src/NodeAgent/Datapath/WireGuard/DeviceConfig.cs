using System.Net;

namespace WgIsolate.Datapath.WireGuard;

/// <summary>
/// A partial update of a device, like wgctrl-go's wgtypes.Config: null leaves a setting as it is, and
/// replacing is always explicit. Only the listed peers are touched unless <see cref="ReplacePeers"/>.
/// </summary>
public sealed record DeviceConfig
{
    public string? PrivateKey { get; init; }
    public int? ListenPort { get; init; }
    public bool ReplacePeers { get; init; }
    public IReadOnlyList<PeerConfig> Peers { get; init; } = [];

    public bool IsEmpty => PrivateKey is null && ListenPort is null && !ReplacePeers && Peers.Count == 0;

    public override string ToString() =>
        $"DeviceConfig {{ PrivateKey = {(PrivateKey is null ? "unchanged" : "(set)")}, ListenPort = {ListenPort}, ReplacePeers = {ReplacePeers}, Peers = {Peers.Count} }}";
}

public sealed record PeerConfig(string PublicKey)
{
    public bool Remove { get; init; }
    public bool UpdateOnly { get; init; }

    /// <summary>Null leaves it; an all-zero key (base64 of 32 zero bytes) removes it.</summary>
    public string? PresharedKey { get; init; }

    public IPEndPoint? Endpoint { get; init; }
    public int? PersistentKeepalive { get; init; }
    public bool ReplaceAllowedIPs { get; init; }
    public IReadOnlyList<IPNetwork> AllowedIPs { get; init; } = [];

    public static readonly string NoPresharedKey = Convert.ToBase64String(new byte[32]);

    public override string ToString() =>
        $"PeerConfig {{ PublicKey = {PublicKey}, Remove = {Remove}, Endpoint = {Endpoint}, ReplaceAllowedIPs = {ReplaceAllowedIPs}, AllowedIPs = [{string.Join(", ", AllowedIPs)}] }}";
}
