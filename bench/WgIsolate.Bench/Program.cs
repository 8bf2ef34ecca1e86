using BenchmarkDotNet.Running;
using WgIsolate.Bench;
using WgIsolate.Bench.OperatorScale;

// dotnet run -c Release --project bench/WgIsolate.Bench -- --filter '*Mesh*'
// dotnet run -c Release --project bench/WgIsolate.Bench -- operator-scale [--apps 1000 --pods 10000 --nodes 100 --peers 2]
if (args is ["operator-scale", .. var rest])
{
    return await OperatorScaleRun.RunAsync(ScaleSettings.Parse(rest));
}

BenchmarkSwitcher.FromAssembly(typeof(MeshBenchmarks).Assembly).Run(args);
return 0;
