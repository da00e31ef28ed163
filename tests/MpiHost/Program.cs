using Ppl.Inference.Distributed;
using Ppl.Inference.Tests.Distributed;
using Ppl.Mpi;
using Ppl.Runtime.Params;

// Usage: Ppl.Mpi.TestHost OUT.bin STEPS SEED [CORRUPT_RANK]
// Fits ShardedRegression over MPI_COMM_WORLD; every rank prints its parameter hash, rank 0 writes the parameters.
// CORRUPT_RANK: that rank nudges one parameter after step 5, so the check at step 10 must stop the fit.
try
{
    using var world = MpiCommunicator.Start();
    int corrupt = args.Length > 3 ? int.Parse(args[3]) : -1;
    ParamStore store;
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
    Console.WriteLine($"rank {world.Rank} of {world.Size}: hash {ParameterHash.Of(store):x16}");
    if (world.Rank == 0) ParamStoreFile.SaveBinary(store, args[0]);
    return 0;
}
catch (MpiUnavailableException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
