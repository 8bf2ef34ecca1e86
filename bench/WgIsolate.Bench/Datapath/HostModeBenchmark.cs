using System.Diagnostics;
using System.Text.Json;

namespace WgIsolate.Bench.Datapath;

/// <summary>
/// `wgisolate up --once` and `wgisolate down` for N apps in pairs, run as the real executable (start-up, backend
/// detection, key generation and state writes included), against the seed's shell steps for the same N, in the
/// same run. Needs root.
///
///   dotnet run -c Release --project bench/WgIsolate.Bench -- hostmode [--apps 50] [--rounds 3]
/// </summary>
public static class HostModeBenchmark
{
    public static int Run(string[] args)
    {
        var count = int.Parse(DatapathBenchmark.Option(args, "--apps", "50"));
        var rounds = int.Parse(DatapathBenchmark.Option(args, "--rounds", "3"));
        var script = Path.Combine(AppContext.BaseDirectory, "Datapath", "seed-way.sh");
        var run = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 2));
        DatapathBenchmark.RaiseInotifyLimit();

        var ours = new List<DatapathBenchmark.Timing>();
        var seed = new List<DatapathBenchmark.Timing>();
        for (var round = 0; round < rounds; round++)
        {
            ours.Add(UpOnceAndDown($"h{run}{round}", count, 43000 + round * 1000));
            seed.Add(DatapathBenchmark.SeedWay(new PairedApps($"s{run}{round}", count, $"fd{run[..2]}:{run}:{count:x}", 43500 + round * 1000), script));
            Console.WriteLine($"  N={count} round {round + 1}: wgisolate {ours[^1]}; seed way {seed[^1]}");
        }

        var (o, s) = (DatapathBenchmark.Median(ours), DatapathBenchmark.Median(seed));
        Console.WriteLine();
        Console.WriteLine("| apps | `up --once`, ms/app | seed way up, ms/app | up ratio | `down`, ms/app | seed way down, ms/app | down ratio |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {count} | {o.UpPerApp:F1} | {s.UpPerApp:F1} | {s.UpPerApp / o.UpPerApp:F1}× | {o.DownPerApp:F1} | {s.DownPerApp:F1} | {s.DownPerApp / o.DownPerApp:F1}× |");
        return 0;
    }

    private static DatapathBenchmark.Timing UpOnceAndDown(string prefix, int count, int portBase)
    {
        var folder = Directory.CreateTempSubdirectory("wgisolate-bench-").FullName;
        var state = Path.Combine(folder, "state");
        try
        {
            for (var i = 0; i < count; i++)
            {
                File.WriteAllText(Path.Combine(folder, $"{i}.yaml"),
                    $"apiVersion: wgisolate.io/v1alpha1\nkind: IsolatedApp\nmetadata: {{name: {prefix}{i}, namespace: bench}}\n" +
                    $"spec:\n  selector: {{matchLabels: {{app: a{i}}}}}\n  listenPort: {portBase + i}\n  peers: [{{name: {prefix}{i ^ 1}}}]\n");
            }

            var up = Stopwatch.StartNew();
            Wgisolate("up", "--once", "--manifests", folder, "--state", state, "--endpoint-address", "::1");
            up.Stop();
            var addresses = JsonDocument.Parse(Wgisolate("status", "--state", state, "--json")).RootElement.EnumerateArray()
                .ToDictionary(a => a.GetProperty("app").GetString()!.Split('/')[1], a => a.GetProperty("address").GetString()!.Split('/')[0]);
            var ping = Stopwatch.StartNew();
            PairPing.EveryPair(Enumerable.Range(0, count / 2).Select(p => ($"{prefix}{2 * p}", addresses[$"{prefix}{2 * p + 1}"])).ToList());
            ping.Stop();
            var down = Stopwatch.StartNew();
            Wgisolate("down", "--state", state);
            DatapathBenchmark.WaitForWireGuardGoToExit(Enumerable.Range(0, count).Select(i => $"wg-{prefix}{i}"));
            down.Stop();
            return new DatapathBenchmark.Timing(count, up.Elapsed, ping.Elapsed, down.Elapsed);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Wgisolate(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "wgisolate"), args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wgisolate {string.Join(' ', args)} exited {process.ExitCode}: {output.Result}{error}");
        }

        return output.Result;
    }
}
