using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// Running sum along an axis: yₖ = Σ_{j ≤ k} xⱼ; <paramref name="exclusive"/> leaves out xₖ itself (y₀ = 0),
    /// <paramref name="reverse"/> sums from the end (yₖ = Σ_{j ≥ k} xⱼ). Stick-breaking and the correlation-Cholesky
    /// transform are products of running remainders, which this gives in log space.
    /// Backward: ∂yₖ/∂xⱼ = 1 exactly where xⱼ entered yₖ, so the adjoint is the running sum of the output adjoint in
    /// the opposite direction, with the same inclusiveness.
    /// </summary>
    public static Var CumSum(Var x, int axis = -1, bool exclusive = false, bool reverse = false)
    {
        axis = Shapes.Axis(axis, x.Rank);
        var (outer, n, inner) = Around(x.Shape, axis);
        var tape = TapeOf(x);
        var v = Alloc(tape, x.Shape);
        CumSumInto(x.Value.Span, v.Span, outer, n, inner, exclusive, reverse);
        return Result(tape, v, In(x), y =>
        {
            var t = Temp(y, x.Shape);
            CumSumInto(y.Grad!.Span, t.Span, outer, n, inner, exclusive, !reverse);
            Acc(y, x, t, owned: true);
        });
    }

    /// <summary>The running sums of <paramref name="src"/> viewed as [outer, n, inner], accumulated in double.</summary>
    static void CumSumInto(ReadOnlySpan<float> src, Span<float> dst, int outer, int n, int inner, bool exclusive, bool reverse)
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                double acc = 0;
                for (int s = 0; s < n; s++)
                {
                    int k = reverse ? n - 1 - s : s;
                    int i = (o * n + k) * inner + j;
                    float xi = src[i];
                    if (exclusive) { dst[i] = (float)acc; acc += xi; }
                    else { acc += xi; dst[i] = (float)acc; }
                }
            }
    }
}
