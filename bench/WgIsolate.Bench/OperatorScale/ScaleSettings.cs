using System.Globalization;

namespace WgIsolate.Bench.OperatorScale;

/// <param name="PeersEachSide">Each app is in mutual consent with this many neighbours on either side of a ring of apps.</param>
/// <param name="MemoryLimitMb">The operator's container memory limit to emulate (0: none). .NET sizes its GC heap to 75% of
/// a cgroup's limit; the benchmark gives the operator process that heap limit (DOTNET_GCHeapHardLimit) and nothing else.</param>
public sealed record ScaleSettings(int Apps, int Pods, int Nodes, int PeersEachSide, TimeSpan Timeout, int MemoryLimitMb = 0)
{
    public int PodsPerApp => Pods / Apps;

    /// <summary>The GC heap limit .NET itself takes in a container limited to <see cref="MemoryLimitMb"/> (0: none).</summary>
    public long HeapLimitBytes => MemoryLimitMb * 1024L * 1024 * 3 / 4;

    public static ScaleSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new ScaleSettings(Apps: 1000, Pods: 10_000, Nodes: 100, PeersEachSide: 2, Timeout: TimeSpan.FromMinutes(10));
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : throw Usage($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--apps" => settings with { Apps = value },
                "--pods" => settings with { Pods = value },
                "--nodes" => settings with { Nodes = value },
                "--peers" => settings with { PeersEachSide = value },
                "--timeout" => settings with { Timeout = TimeSpan.FromSeconds(value) },
                "--memory-limit-mb" => settings with { MemoryLimitMb = value },
                _ => throw Usage($"unknown option {args[i]}"),
            };
        }

        if (settings.Apps < 1 || settings.Nodes < 2 || settings.Pods % settings.Apps != 0 || settings.Pods < settings.Apps)
        {
            throw Usage("need apps >= 1, nodes >= 2 and pods a multiple of apps");
        }

        if (2 * settings.PeersEachSide >= settings.Apps) throw Usage("--peers must be below apps / 2 so that peers are distinct apps");
        return settings;
    }

    private static ArgumentException Usage(string problem) =>
        new($"{problem}. Usage: operator-scale [--apps N] [--pods N] [--nodes N] [--peers N-each-side] [--timeout SECONDS] [--memory-limit-mb MB]");
}
