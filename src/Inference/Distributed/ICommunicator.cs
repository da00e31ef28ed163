namespace Ppl.Inference.Distributed;

/// <summary>
/// The processes of a data-parallel fit, seen from one of them: its rank, how many there are, and an element-wise sum
/// over all of them. Every implementation must give every rank the same bits (the fit's parameters stay identical only
/// if every rank applies the same step); <see cref="DataParallel"/> checks that they do.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's number, 0 ≤ Rank &lt; Size.</summary>
    int Rank { get; }

    /// <summary>How many processes take part.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/>, on every rank, by their element-wise sum over the ranks.</summary>
    void AllReduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/>, on every rank, by their element-wise sum over the ranks.</summary>
    void AllReduceSum(Span<double> values);
}
