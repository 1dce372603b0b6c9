using BenchmarkDotNet.Running;
using Dunning.Benchmarks;

// `figures …` prints the figures next to their floors (Figures.cs); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "figures")
{
    return await Figures.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(RunnerBenchmarks).Assembly).Run(args);
return 0;
