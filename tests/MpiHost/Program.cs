using Ppl.Inference.Distributed;
using Ppl.Inference.Tests.Distributed;
using Ppl.Mpi;
using Ppl.Runtime.Params;

// Usage: Ppl.Mpi.TestHost OUT.bin STEPS SEED [CORRUPT_RANK]
//        Ppl.Mpi.TestHost --allreduce FLOATS REPEATS   (times the all-reduce of a gradient of FLOATS floats; docs/distributed.md)
// Fits ShardedRegression over MPI_COMM_WORLD; every rank prints its parameter hash, rank 0 writes the parameters.
// CORRUPT_RANK: that rank nudges one parameter after step 5, so the check at step 10 must stop the fit.
try
{
    using var world = MpiCommunicator.Start();
    if (args[0] == "--allreduce")
    {
        var gradient = new float[int.Parse(args[1])];
        int repeats = int.Parse(args[2]);
        world.AllReduceSum(gradient);   // warm-up: connections and buffers
        var timer = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) world.AllReduceSum(gradient);
        double ms = timer.Elapsed.TotalMilliseconds / repeats;
        if (world.Rank == 0) Console.WriteLine($"allreduce-{gradient.Length}-floats-{world.Size}-ranks: {ms:F3} ms");
        return 0;
    }
    int corrupt = args.Length > 3 ? int.Parse(args[3]) : -1;
    ParamStore store;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    try
    {
        store = ShardedRegressionFit.Run(world, int.Parse(args[1]), ulong.Parse(args[2]), afterStep: (step, s) =>
        {
            if (step == 5 && world.Rank == corrupt) s.Entries.First().Unconstrained.Value.Span[0] += 1e-3f;
        });
    }
    catch (ParametersDivergedException e)
    {
        Console.Error.WriteLine($"rank {world.Rank}: error: {e.Message}");
        return 1;
    }
    Console.WriteLine($"rank {world.Rank} of {world.Size}: hash {ParameterHash.Of(store):x16}, {clock.Elapsed.TotalMilliseconds / int.Parse(args[1]):F3} ms per step");
    if (world.Rank == 0) ParamStoreFile.SaveBinary(store, args[0]);
    return 0;
}
catch (MpiUnavailableException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
