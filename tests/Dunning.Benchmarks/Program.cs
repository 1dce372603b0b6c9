using BenchmarkDotNet.Running;
using Dunning.Benchmarks;

// `figures …` prints the figures next to their floors (Figures.cs); `serve-load …` loads a running host
// (ServeLoad.cs); anything else goes to BenchmarkDotNet.
if (args is ["figures", ..])
{
    return await Figures.RunAsync(args[1..]);
}

if (args is ["serve-load", ..])
{
    return await ServeLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(RunnerBenchmarks).Assembly).Run(args);
return 0;
