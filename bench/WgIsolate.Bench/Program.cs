using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/WgIsolate.Bench -- --filter '*Mesh*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
