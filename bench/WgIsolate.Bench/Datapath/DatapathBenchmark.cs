using System.Diagnostics;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Linux;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Kernel;

namespace WgIsolate.Bench.Datapath;

/// <summary>
/// Brings N apps up in pairs, checks every pair with a ping, and tears them down again: once through the
/// converger on the real kernel, once through the seed's shell steps (seed-way.sh), in the same run and on the
/// same backend (wireguard-go here). Not BenchmarkDotNet: one round starts hundreds of processes and namespaces,
/// so it is timed with a stopwatch, repeated, and the median reported. Needs root.
///
///   dotnet run -c Release --project bench/WgIsolate.Bench -- datapath [--sizes 10,50,200] [--rounds 3] [--profile]
/// </summary>
public static class DatapathBenchmark
{
    public static int Run(string[] args)
    {
        var sizes = Option(args, "--sizes", "10,50,200").Split(',').Select(int.Parse).ToList();
        var rounds = int.Parse(Option(args, "--rounds", "3"));
        var profile = args.Contains("--profile");
        var script = Path.Combine(AppContext.BaseDirectory, "Datapath", "seed-way.sh");
        var run = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 2));

        // Both ways need one inotify instance per wireguard-go; the product raises the limit when it starts a
        // device, the seed's way would fail past 128, so it is raised for both before measuring.
        File.WriteAllText("/proc/sys/fs/inotify/max_user_instances", "8192");
        using var hostLinks = RouteNetlink.Open();
        var (backend, reason) = WireGuardBackends.Detect(hostLinks.Links, () => new KernelWireGuardBackend());
        Console.WriteLine($"WireGuard backend: {backend.Name} ({reason}); {rounds} rounds per size, median reported");

        var rows = new List<Row>();
        foreach (var size in sizes)
        {
            var ours = new List<Timing>();
            var seed = new List<Timing>();
            for (var round = 0; round < rounds; round++)
            {
                var apps = new PairedApps($"b{run}{round}", size, $"fd{run[..2]}:{run}:{size:x}", 42000 + round * 1000);
                ours.Add(Converger(apps with { Prefix = apps.Prefix + "c" }, backend, profile));
                seed.Add(SeedWay(apps with { Prefix = apps.Prefix + "s", PortBase = apps.PortBase + 500 }, script));
                Console.WriteLine($"  N={size} round {round + 1}: converger {ours[^1]}; seed way {seed[^1]}");
            }

            rows.Add(new Row(size, Median(ours), Median(seed)));
        }

        Print(rows);
        return 0;
    }

    private static Timing Converger(PairedApps apps, IWireGuardBackend backend, bool profile)
    {
        using var linux = new LinuxDataplane(backend, natTable: $"wgisolate_nat_{apps.Prefix}");
        var (dataplane, times) = OperationTimes.Wrap(linux);
        var converger = new Converger(profile ? dataplane : linux, apps.Prefix + "/");
        var up = Stopwatch.StartNew();
        Require(converger.Converge(apps.Build()));
        up.Stop();
        var ping = Stopwatch.StartNew();
        PairPing.EveryPair(apps);
        ping.Stop();
        var down = Stopwatch.StartNew();
        Require(converger.Converge([]));
        WaitForWireGuardGoToExit(apps);
        down.Stop();
        if (profile)
        {
            Console.WriteLine(string.Join(Environment.NewLine, times.Report(apps.Count).Prepend($"  converger, N={apps.Count}, time per dataplane operation (up and down):")));
        }

        return new Timing(apps.Count, up.Elapsed, ping.Elapsed, down.Elapsed);
    }

    private static Timing SeedWay(PairedApps apps, string script)
    {
        var up = Stopwatch.StartNew();
        Shell(script, "up", apps.Prefix, apps.Count.ToString(), apps.Cluster, apps.PortBase.ToString());
        up.Stop();
        var ping = Stopwatch.StartNew();
        PairPing.EveryPair(apps);
        ping.Stop();
        var down = Stopwatch.StartNew();
        Shell(script, "down", apps.Prefix, apps.Count.ToString());
        WaitForWireGuardGoToExit(apps);
        down.Stop();
        return new Timing(apps.Count, up.Elapsed, ping.Elapsed, down.Elapsed);
    }

    private static void Require(ConvergeReport report)
    {
        if (!report.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", report.Apps.Where(a => a.Error is not null).Select(a => $"{a.Owner}: {a.Error}").Append(report.HostError)));
        }
    }

    private static void Shell(string script, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(script, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(script)} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
        }
    }

    /// <summary>Down means gone: every wireguard-go has exited (it notices its TUN going a moment later, and the
    /// kernel dismantles deleted namespaces in the background), so both ways are timed up to that point.</summary>
    private static void WaitForWireGuardGoToExit(PairedApps apps)
    {
        var sockets = Enumerable.Range(0, apps.Count).Select(i => $"/var/run/wireguard/wg-{apps.Netns(i)}.sock").ToList();
        var deadline = Stopwatch.StartNew();
        while (sockets.Any(File.Exists))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"wireguard-go still serves {sockets.First(File.Exists)} a minute after teardown");
            }

            Thread.Sleep(5);
        }
    }

    private static Timing Median(List<Timing> timings) =>
        new(timings[0].Apps, MedianOf(timings.Select(t => t.Up)), MedianOf(timings.Select(t => t.Ping)), MedianOf(timings.Select(t => t.Down)));

    private static TimeSpan MedianOf(IEnumerable<TimeSpan> values) => values.Order().ElementAt(values.Count() / 2);

    private static void Print(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| apps | converger up, ms/app | seed way up, ms/app | up ratio | converger down, ms/app | seed way down, ms/app | down ratio | ping all pairs (converger / seed way) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            Console.WriteLine($"| {row.Apps} | {row.Ours.UpPerApp:F1} | {row.Seed.UpPerApp:F1} | {row.Seed.UpPerApp / row.Ours.UpPerApp:F1}× | " +
                $"{row.Ours.DownPerApp:F1} | {row.Seed.DownPerApp:F1} | {row.Seed.DownPerApp / row.Ours.DownPerApp:F1}× | " +
                $"{row.Ours.Ping.TotalSeconds:F1} s / {row.Seed.Ping.TotalSeconds:F1} s |");
        }

        var first = rows.MinBy(r => r.Apps)!;
        var last = rows.MaxBy(r => r.Apps)!;
        Console.WriteLine();
        Console.WriteLine($"per-app up cost at N={last.Apps} vs N={first.Apps}: converger {last.Ours.UpPerApp / first.Ours.UpPerApp:F2}×, seed way {last.Seed.UpPerApp / first.Seed.UpPerApp:F2}×");
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private sealed record Row(int Apps, Timing Ours, Timing Seed);

    private sealed record Timing(int Apps, TimeSpan Up, TimeSpan Ping, TimeSpan Down)
    {
        public double UpPerApp => Up.TotalMilliseconds / Apps;

        public double DownPerApp => Down.TotalMilliseconds / Apps;

        public override string ToString() => $"up {UpPerApp:F1} ms/app, down {DownPerApp:F1} ms/app, ping {Ping.TotalSeconds:F1} s";
    }
}
