using BenchmarkDotNet.Running;
using WgIsolate.Bench;
using WgIsolate.Bench.Datapath;
using WgIsolate.Bench.OperatorScale;

// dotnet run -c Release --project bench/WgIsolate.Bench -- --filter '*Mesh*'
// dotnet run -c Release --project bench/WgIsolate.Bench -- operator-scale [--apps 1000 --pods 10000 --nodes 100 --peers 2]
// dotnet run -c Release --project bench/WgIsolate.Bench -- datapath [--sizes 10,50,200] [--rounds 3]   (root)
// dotnet run -c Release --project bench/WgIsolate.Bench -- hostmode [--apps 50] [--rounds 3]              (root)
switch (args)
{
    case ["operator-scale", .. var rest]:
        return await OperatorScaleRun.RunAsync(ScaleSettings.Parse(rest));
    case ["datapath", .. var rest]:
        return DatapathBenchmark.Run(rest);
    case ["hostmode", .. var rest]:
        return HostModeBenchmark.Run(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(MeshBenchmarks).Assembly).Run(args);
return 0;
