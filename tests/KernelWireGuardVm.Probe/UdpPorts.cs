using System.Globalization;

namespace WgIsolate.KernelWireGuardVm.Probe;

/// <summary>UDP ports bound in the probe's own (root) namespace: where a kernel WireGuard socket must stay.</summary>
public static class UdpPorts
{
    // /proc/net/udp{,6} rows: "sl local_address:port(hex) rem_address:port ..."; the header's second field has no ':'.
    public static IReadOnlySet<int> InCurrentNamespace() =>
        new[] { "/proc/self/net/udp", "/proc/self/net/udp6" }
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 1 && fields[1].Contains(':'))
            .Select(fields => int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToHashSet();
}
