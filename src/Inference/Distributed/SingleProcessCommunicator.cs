namespace Ppl.Inference.Distributed;

/// <summary>One process alone: rank 0 of 1, every sum is the value itself. A data-parallel fit with it is the reference a
/// run over many processes is compared against.</summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values) { }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) { }

    /// <inheritdoc/>
    public void Dispose() { }
}
