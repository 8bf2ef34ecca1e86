using BenchmarkDotNet.Running;
using WgIsolate.Bench.Datapath;

// dotnet run -c Release --project bench/WgIsolate.Bench -- --filter '*Mesh*'
// dotnet run -c Release --project bench/WgIsolate.Bench -- datapath [--sizes 10,50,200] [--rounds 3]   (root)
// dotnet run -c Release --project bench/WgIsolate.Bench -- hostmode [--apps 50] [--rounds 3]              (root)
switch (args.FirstOrDefault())
{
    case "datapath":
        return DatapathBenchmark.Run(args[1..]);
    case "hostmode":
        return HostModeBenchmark.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
