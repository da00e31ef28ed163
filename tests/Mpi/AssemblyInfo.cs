using Xunit;

// Some tests here change this process's environment (PPL_MPI_LIBRARY pointed at a missing library) while others
// start mpiexec, whose processes inherit that environment: run the classes one after another, not side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
