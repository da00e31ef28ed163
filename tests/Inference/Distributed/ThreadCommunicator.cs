using Ppl.Inference.Distributed;

namespace Ppl.Inference.Tests.Distributed;

/// <summary>
/// K ranks as K threads of one test process: each sum waits for every rank's vector and adds them in rank order, so
/// every rank gets the same bits, as MPI gives. Lets the data-parallel logic be tested without MPI.
/// </summary>
sealed class ThreadCommunicator(ThreadCommunicator.Group group, int rank) : ICommunicator
{
    /// <summary>The shared state of one group of ranks.</summary>
    public sealed class Group(int size)
    {
        public readonly Barrier Barrier = new(size);
        public readonly float[][] Floats = new float[size][];
        public readonly double[][] Doubles = new double[size][];
        public int Size => Floats.Length;
    }

    public int Rank => rank;
    public int Size => group.Size;

    public void AllReduceSum(Span<float> values) => Sum(group.Floats, values);

    public void AllReduceSum(Span<double> values) => Sum(group.Doubles, values);

    void Sum<T>(T[][] shared, Span<T> values) where T : System.Numerics.INumber<T>
    {
        shared[rank] = values.ToArray();
        group.Barrier.SignalAndWait();
        for (int i = 0; i < values.Length; i++)
        {
            T s = shared[0][i];
            for (int r = 1; r < Size; r++) s += shared[r][i];
            values[i] = s;
        }
        group.Barrier.SignalAndWait();
    }

    public void Dispose() { }

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> threads, one rank each; returns the results by rank (exceptions included).</summary>
    public static (T? Result, Exception? Error)[] RunRanks<T>(int size, Func<ICommunicator, T> body)
    {
        var group = new Group(size);
        var results = new (T?, Exception?)[size];
        var threads = Enumerable.Range(0, size).Select(r => new Thread(() =>
        {
            try { results[r] = (body(new ThreadCommunicator(group, r)), null); }
            catch (Exception e) { results[r] = (default, e); }
        }, 16 << 20)).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        return results;
    }
}
