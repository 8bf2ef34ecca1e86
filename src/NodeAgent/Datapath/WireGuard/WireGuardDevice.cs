using System.Net;

namespace WgIsolate.Datapath.WireGuard;

/// <summary>
/// A WireGuard device as the kernel or wireguard-go reports it. Keys are base64. The private and preshared keys
/// are kept only so that a diff can tell whether they changed; <see cref="ToString"/> never prints them.
/// </summary>
public sealed record WireGuardDevice(string? PrivateKey, int ListenPort, IReadOnlyList<WireGuardPeer> Peers)
{
    public string? PublicKey => PrivateKey is null ? null : WireGuardKeys.PublicKeyOf(PrivateKey);

    public override string ToString() => $"WireGuardDevice {{ PublicKey = {PublicKey}, ListenPort = {ListenPort}, Peers = {Peers.Count} }}";
}

public sealed record WireGuardPeer(
    string PublicKey,
    string? PresharedKey,
    IPEndPoint? Endpoint,
    DateTimeOffset? LastHandshake,
    long ReceivedBytes,
    long TransmittedBytes,
    int PersistentKeepalive,
    IReadOnlyList<IPNetwork> AllowedIPs)
{
    public override string ToString() =>
        $"WireGuardPeer {{ PublicKey = {PublicKey}, Endpoint = {Endpoint}, LastHandshake = {LastHandshake:O}, Rx = {ReceivedBytes}, Tx = {TransmittedBytes}, AllowedIPs = [{string.Join(", ", AllowedIPs)}] }}";
}
