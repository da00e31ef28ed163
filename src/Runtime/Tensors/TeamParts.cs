using System.Runtime.InteropServices;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Coarse parallel work on the cores the products use (<see cref="WorkerTeam"/>), for callers outside this assembly:
/// <c>part(i)</c> for every i &lt; parts, in parallel when a worker is free, else in turn on the caller's thread. Kernels a
/// part calls (products, optimizer updates) then run on that part's thread alone, since the team has one job in flight.
/// Nothing is allocated per call.
/// </summary>
public static unsafe class TeamParts
{
    /// <summary>
    /// Runs <paramref name="part"/>(i) for every i &lt; <paramref name="parts"/> and returns when all are done; at most
    /// <paramref name="threads"/> threads take part (1: in turn, on the caller's thread). Which thread runs a part must not
    /// change its result: parts must write disjoint state. An exception in a part is rethrown wrapped in an
    /// <see cref="AggregateException"/> when the parts ran in parallel; catch inside the part to keep its type.
    /// </summary>
    public static void Run(Action<int> part, int parts, int threads)
    {
        if (threads <= 1 || parts <= 1)
        {
            for (int i = 0; i < parts; i++) part(i);
            return;
        }
        var handle = GCHandle.Alloc(part);
        try
        {
            nint target = GCHandle.ToIntPtr(handle);
            WorkerTeam.Run(&target, &RunPart, parts);
        }
        finally
        {
            handle.Free();
        }
    }

    static void RunPart(void* context, int i) => ((Action<int>)GCHandle.FromIntPtr(*(nint*)context).Target!)(i);
}
