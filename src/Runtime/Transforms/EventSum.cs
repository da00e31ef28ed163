using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Transforms;

/// <summary>Sums over the rightmost axes: how elementwise log-densities and log-determinants become per-event ones.</summary>
internal static class EventSum
{
    /// <summary>x summed over its <paramref name="dims"/> rightmost axes (x itself for 0).</summary>
    public static Var Rightmost(Var x, int dims)
    {
        if (dims < 0) throw new ArgumentOutOfRangeException(nameof(dims), "cannot sum a negative number of axes");
        if (dims > x.Rank) throw new ArgumentException($"cannot sum {dims} rightmost axes of a rank-{x.Rank} value");
        if (dims == 0) return x;
        int lead = x.Rank - dims;
        return Ops.Sum(Ops.Reshape(x, [.. x.Shape.AsSpan(0, lead), -1]), -1);
    }
}
