using System.Diagnostics;

namespace WgIsolate.Bench.Datapath;

/// <summary>Proof that a bring-up worked: every pair exchanges one ping over its tunnel (the first one also
/// carries the WireGuard handshake). Uses iproute2 and ping, like a person checking by hand would.</summary>
public static class PairPing
{
    public static void EveryPair(PairedApps apps)
    {
        var failed = Enumerable.Range(0, apps.Count / 2)
            .AsParallel()
            .WithDegreeOfParallelism(8)
            .Where(pair => !Pings(apps.Netns(2 * pair), apps.Address(2 * pair + 1).ToString()))
            .ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"{failed.Count} of {apps.Count / 2} pairs did not answer a ping, e.g. {apps.Netns(2 * failed[0])}");
        }
    }

    private static bool Pings(string netns, string address)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var ping = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", netns, "ping", "-6", "-c", "1", "-W", "2", address])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            ping.WaitForExit();
            if (ping.ExitCode == 0)
            {
                return true;
            }
        }

        return false;
    }
}
