using BenchmarkDotNet.Running;
using WgIsolate.Bench.Datapath;

// dotnet run -c Release --project bench/WgIsolate.Bench -- --filter '*Mesh*'
// dotnet run -c Release --project bench/WgIsolate.Bench -- datapath [--sizes 10,50,200] [--rounds 3]   (root)
if (args.FirstOrDefault() == "datapath")
{
    return DatapathBenchmark.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
