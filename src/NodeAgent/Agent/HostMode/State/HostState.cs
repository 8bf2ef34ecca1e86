using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using WgIsolate.Core.Addressing;
using WgIsolate.Core.Allocation;
using WgIsolate.Core.Api;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.NodeAgent.HostMode.State;

/// <summary>
/// The state directory of host mode (default /var/lib/wgisolate, mode 0700): allocations.json (prefix, /64s,
/// addresses, ports, ids — written atomically), keys/ (private keys, 0600) and psk/ (preshared keys, 0600).
/// Same folder and same state give the same result: nothing here is derived from time except a new prefix.
/// </summary>
internal sealed class HostState(string directory)
{
    public const string DefaultDirectory = "/var/lib/wgisolate";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Directory { get; } = directory;

    private string AllocationsPath => Path.Combine(Directory, "allocations.json");

    public void EnsureCreated() =>
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>The persisted allocations, or fresh ones under a newly generated RFC 4193 prefix.</summary>
    public AllocationState LoadAllocations(TimeProvider time)
    {
        if (File.Exists(AllocationsPath))
        {
            try
            {
                return AllocationState.FromJson(File.ReadAllText(AllocationsPath));
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new InvalidDataException($"{AllocationsPath} is not a valid allocation state: {ex.Message}", ex);
            }
        }

        return new AllocationState { ClusterPrefix = UniqueLocalPrefix.Generate(time.GetUtcNow(), HostMac()).ToString() };
    }

    private string LastUpPath => Path.Combine(Directory, "last-up.json");

    /// <summary>Where the last `up` read its apps from and which endpoint it published: what `status` compares
    /// the kernel with, so it needs no arguments and works while `up` runs.</summary>
    public void RecordLastUp(string manifests, IPAddress endpointAddress) =>
        AtomicFile.Write(LastUpPath, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new LastUp(Path.GetFullPath(manifests), endpointAddress.ToString())), OwnerOnly);

    public (string Manifests, IPAddress EndpointAddress)? LastUpSettings()
    {
        if (!File.Exists(LastUpPath))
        {
            return null;
        }

        var last = System.Text.Json.JsonSerializer.Deserialize<LastUp>(File.ReadAllText(LastUpPath))
            ?? throw new InvalidDataException($"{LastUpPath} is empty");
        return (last.Manifests, IPAddress.Parse(last.EndpointAddress));
    }

    private sealed record LastUp(string Manifests, string EndpointAddress);

    public void SaveAllocations(AllocationState state) => AtomicFile.Write(AllocationsPath, Encoding.UTF8.GetBytes(state.ToJson()), OwnerOnly);

    public KeyStore Keys => KeyStore.FromEnvironment(Directory, WireGuardKeys.GeneratePrivateKey);

    /// <summary>One preshared key per link, created on first use; both ends read the same file.</summary>
    public string PresharedKey(SecretKeyReference reference) =>
        SecretFile.GetOrCreate(Path.Combine(PresharedKeysDirectory, reference.Key + ".key"), WireGuardKeys.GeneratePresharedKey);

    /// <summary>Deletes the preshared keys of links that no longer exist; returns how many.</summary>
    public int DeletePresharedKeysExcept(IReadOnlySet<string> keptKeys)
    {
        if (!System.IO.Directory.Exists(PresharedKeysDirectory))
        {
            return 0;
        }

        var stale = System.IO.Directory.EnumerateFiles(PresharedKeysDirectory, "*.key")
            .Where(f => !keptKeys.Contains(Path.GetFileNameWithoutExtension(f)))
            .ToList();
        stale.ForEach(File.Delete);
        return stale.Count;
    }

    private string PresharedKeysDirectory => Path.Combine(Directory, "psk");

    /// <summary>RFC 4193 wants an EUI-64 of this system: the first real interface's MAC, or random bytes without one.</summary>
    public static PhysicalAddress HostMac() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Select(n => n.GetPhysicalAddress())
            .FirstOrDefault(m => m.GetAddressBytes() is { Length: 6 } b && b.Any(x => x != 0))
        ?? new PhysicalAddress(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    /// <summary>The address peers reach this host at by default: its first global address, else loopback.</summary>
    public static IPAddress DefaultEndpointAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
            .OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 0 : 1)
            .FirstOrDefault() ?? IPAddress.IPv6Loopback;
}
