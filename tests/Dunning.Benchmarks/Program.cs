using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Dunning.Benchmarks.RunnerBenchmarks).Assembly).Run(args);
