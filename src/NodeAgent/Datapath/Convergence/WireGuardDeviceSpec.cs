using System.Net;
using System.Text;

namespace WgIsolate.Datapath.Convergence;

/// <summary>The whole desired configuration of one WireGuard device; keys in base64 as `wg` prints them.
/// Records print all their members, so the secret ones are left out of <see cref="PrintMembers"/>.</summary>
public sealed record WireGuardDeviceSpec(string PrivateKey, int ListenPort, IReadOnlyList<WireGuardPeerSpec> Peers)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"PrivateKey = (secret), ListenPort = {ListenPort}, Peers = [{string.Join(", ", Peers)}]");
        return true;
    }
}

public sealed record WireGuardPeerSpec(
    string PublicKey,
    IPEndPoint? Endpoint,
    IReadOnlyList<IPNetwork> AllowedIPs,
    string? PresharedKey = null,
    int? PersistentKeepalive = null)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"PublicKey = {PublicKey}, Endpoint = {Endpoint}, AllowedIPs = [{string.Join(", ", AllowedIPs)}], ")
            .Append($"PresharedKey = {(PresharedKey is null ? "none" : "(secret)")}, PersistentKeepalive = {PersistentKeepalive}");
        return true;
    }
}
