using System.Net;
using System.Text.Json;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.NodeAgent.HostMode.State;

/// <summary>
/// The endpoints host mode last configured on each device, in applied-endpoints.json of the state directory, so
/// the next `up` (a second `--once`, or a restarted watching one) leaves a peer that roamed where WireGuard found it
/// and pins it only when the desired endpoint itself changes. Changes are kept in memory and written once per pass
/// (<see cref="Save"/>); a crash before that only means the next pass treats those devices as it would without a
/// record: a live endpoint that differs is set back.
/// </summary>
internal sealed class AppliedEndpointsFile : IAppliedEndpoints
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string path;
    private readonly Dictionary<string, IReadOnlyDictionary<string, IPEndPoint?>> devices;
    private bool dirty;

    public AppliedEndpointsFile(string stateDirectory)
    {
        path = Path.Combine(stateDirectory, "applied-endpoints.json");
        devices = Load(path);
    }

    public IReadOnlyDictionary<string, IPEndPoint?>? Of(string device) => devices.GetValueOrDefault(device);

    public void Record(string device, IReadOnlyDictionary<string, IPEndPoint?> endpoints)
    {
        if (devices.TryGetValue(device, out var known) && Same(known, endpoints))
        {
            return;
        }

        devices[device] = endpoints;
        dirty = true;
    }

    public void Forget(string device) => dirty |= devices.Remove(device);

    /// <summary>Writes the file (atomically) if anything changed since it was read or last written.</summary>
    public void Save()
    {
        if (!dirty)
        {
            return;
        }

        var text = devices.OrderBy(d => d.Key, StringComparer.Ordinal).ToDictionary(
            d => d.Key,
            d => d.Value.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value?.ToString()));
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(text, new JsonSerializerOptions { WriteIndented = true }), OwnerOnly);
        dirty = false;
    }

    private static Dictionary<string, IReadOnlyDictionary<string, IPEndPoint?>> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            var text = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string?>>>(File.ReadAllText(path)) ?? [];
            return text.ToDictionary(
                d => d.Key,
                d => (IReadOnlyDictionary<string, IPEndPoint?>)d.Value.ToDictionary(p => p.Key, p => p.Value is null ? null : IPEndPoint.Parse(p.Value), StringComparer.Ordinal),
                StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            // Written atomically, so only a hand edit gets here. Deleting the file is safe: a roamed peer is then
            // pinned back once, nothing worse.
            throw new InvalidDataException($"{path} is not a valid record of applied endpoints ({ex.Message}); delete it to start afresh", ex);
        }
    }

    private static bool Same(IReadOnlyDictionary<string, IPEndPoint?> a, IReadOnlyDictionary<string, IPEndPoint?> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var e) && Equals(e, p.Value));
}
