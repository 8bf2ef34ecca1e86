using System.Net;

namespace WgIsolate.Datapath.WireGuard;

/// <summary>
/// The peer endpoints last configured on each device. A sync needs them to tell a change of the desired endpoint
/// (applied) from a peer that roamed (left alone: WireGuard follows a roaming peer, and pinning it back to where
/// it was would cut it off). Kept in memory by default; host mode keeps them in its state directory, so a second
/// `up --once` or a restarted agent does not pin roamed peers back either. Public keys and endpoints only: no secret.
/// </summary>
public interface IAppliedEndpoints
{
    /// <summary>Public key → endpoint last configured; null when this device has no record (never configured here).</summary>
    IReadOnlyDictionary<string, IPEndPoint?>? Of(string device);

    void Record(string device, IReadOnlyDictionary<string, IPEndPoint?> endpoints);

    void Forget(string device);
}

/// <summary>For the lifetime of one process.</summary>
public sealed class InMemoryAppliedEndpoints : IAppliedEndpoints
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, IPEndPoint?>> devices = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IPEndPoint?>? Of(string device) => devices.GetValueOrDefault(device);

    public void Record(string device, IReadOnlyDictionary<string, IPEndPoint?> endpoints) => devices[device] = endpoints;

    public void Forget(string device) => devices.Remove(device);
}
