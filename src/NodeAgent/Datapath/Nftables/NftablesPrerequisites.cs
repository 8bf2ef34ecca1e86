using System.Runtime.InteropServices;
using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Interop.Nftables;

namespace WgIsolate.Datapath.Nftables;

/// <summary>
/// libnftables calls exit() when it cannot open its netlink socket, which would take the agent down with it.
/// So before the first call: the library must load, the process must hold CAP_NET_ADMIN, and the very socket
/// libnftables opens (NETLINK_NETFILTER) must open. Checked once; a failure is a clear exception instead.
/// </summary>
internal static class NftablesPrerequisites
{
    private const int CapNetAdmin = 12;
    private const int NetlinkNetfilter = 12;

    private static readonly Lazy<string?> Problem = new(Find);

    public static void Require()
    {
        if (Problem.Value is { } problem)
        {
            throw new NftablesException(problem);
        }
    }

    private static string? Find()
    {
        if (!NativeLibrary.TryLoad(Libnftables.Library, out _))
        {
            return $"{Libnftables.Library} cannot be loaded: install the Debian package libnftables1";
        }

        if (!HasEffectiveCapability(CapNetAdmin))
        {
            return "nftables needs CAP_NET_ADMIN, which this process does not have";
        }

        var fd = Tmds.Linux.LibC.socket(Tmds.Linux.LibC.AF_NETLINK, Tmds.Linux.LibC.SOCK_RAW | Tmds.Linux.LibC.SOCK_CLOEXEC, NetlinkNetfilter);
        if (fd < 0)
        {
            return $"cannot open a NETLINK_NETFILTER socket, so nftables is unusable here: {Errno.Describe(Tmds.Linux.LibC.errno)}";
        }

        Tmds.Linux.LibC.close(fd);
        return null;
    }

    private static bool HasEffectiveCapability(int capability) =>
        File.ReadLines("/proc/self/status")
            .Where(line => line.StartsWith("CapEff:", StringComparison.Ordinal))
            .Select(line => Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16))
            .Any(mask => (mask & (1UL << capability)) != 0);
}
