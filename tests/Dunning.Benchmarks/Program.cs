using BenchmarkDotNet.Running;

if (args is ["serve-load", ..])
{
    return await Dunning.Benchmarks.ServeLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Dunning.Benchmarks.RunnerBenchmarks).Assembly).Run(args);
return 0;
