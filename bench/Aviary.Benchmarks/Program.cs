using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Aviary.Benchmarks.CodecBenchmarks).Assembly).Run(args);
