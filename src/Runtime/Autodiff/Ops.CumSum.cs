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
        // K packs the axis and the two flags, so the rule is a static lambda (no closure per call).
        return WithK(Result(tape, v, In(x), static y =>
        {
            var x = y.In0!;
            int k = (int)y.K;
            var (outer, n, inner) = Around(x.Shape, k & 0xFFFF);
            var t = Temp(y, x.Shape);
            CumSumInto(y.Grad!.Span, t.Span, outer, n, inner, (k & ExclusiveFlag) != 0, (k & ReverseFlag) == 0);
            Acc(y, x, t, owned: true);
        }, x), axis | (exclusive ? ExclusiveFlag : 0) | (reverse ? ReverseFlag : 0));
    }

    const int ExclusiveFlag = 1 << 16, ReverseFlag = 1 << 17;

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
