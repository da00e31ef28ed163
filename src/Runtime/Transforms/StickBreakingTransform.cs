using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// Stan's stick-breaking map ℝ^{K−1} → Δ^K (Stan Reference Manual, "Unit simplex"): with the offset
/// uₖ = xₖ − log(K−1−k) (k = 0..K−2, so x = 0 maps to the uniform simplex), zₖ = σ(uₖ) is the fraction broken off
/// what remains, yₖ = zₖ·Π_{j&lt;k}(1 − zⱼ) and y_{K−1} = Π_j (1 − zⱼ).
/// The Jacobian of x ↦ (y₀..y_{K−2}) is triangular with diagonal zₖ(1 − zₖ)·Π_{j&lt;k}(1 − zⱼ), so
/// log|det J| = Σₖ [log σ(uₖ) + log σ(−uₖ) + Σ_{j&lt;k} log σ(−uⱼ)].
/// Everything is formed in log space (remainders as running sums of log σ(−u)), so no entry underflows before
/// it must. Inverse: xₖ = log yₖ − log Σ_{j&gt;k} yⱼ + log(K−1−k), with the tail sums taken from the end.
/// </summary>
public sealed class StickBreakingTransform : Transform
{
    /// <summary>The shared instance.</summary>
    public static readonly StickBreakingTransform Instance = new();

    Tensor? offsets; // log(K−1−k) for the last K seen; replaced, never mutated, so sharing across threads is safe

    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.Simplex;
    /// <inheritdoc/>
    public override int EventDim => 1;

    /// <inheritdoc/>
    public override int[] ForwardShape(int[] xShape) => Resize(xShape, +1);
    /// <inheritdoc/>
    public override int[] InverseShape(int[] yShape) => Resize(yShape, -1);

    /// <inheritdoc/>
    public override Var Forward(Var x)
    {
        var u = x - Offsets(x.Shape[^1]);
        var logRem = Ops.CumSum(Ops.LogSigmoid(-u), -1, exclusive: true);
        var head = Ops.Exp(Ops.LogSigmoid(u) + logRem);
        var last = Ops.Exp(Ops.Sum(Ops.LogSigmoid(-u), -1, keepDims: true));
        return Ops.Concat([head, last], -1);
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y)
    {
        int k = y.Shape[^1];
        if (k < 2) throw new ShapeException($"a simplex needs at least 2 entries, got shape {Shapes.Format(y.Shape)}");
        var tail = Ops.CumSum(y, -1, reverse: true); // Σ_{j ≥ k} y_j
        var head = Ops.Slice(y, -1, 0, k - 1);
        return Ops.Log(head) - Ops.Log(Ops.Slice(tail, -1, 1, k)) + Offsets(k - 1);
    }

    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y)
    {
        var u = x - Offsets(x.Shape[^1]);
        var log1mz = Ops.LogSigmoid(-u);
        return Ops.Sum(Ops.LogSigmoid(u) + log1mz + Ops.CumSum(log1mz, -1, exclusive: true), -1);
    }

    Var Offsets(int n)
    {
        var t = offsets;
        if (t is null || t.Size != n)
        {
            t = Tensor.Zeros(n);
            for (int k = 0; k < n; k++) t.Span[k] = (float)Math.Log(n - k);
            offsets = t;
        }
        return Var.Const(t);
    }

    static int[] Resize(int[] shape, int delta)
    {
        if (shape.Length == 0) throw new ShapeException("stick-breaking acts on vectors, got a scalar");
        var s = (int[])shape.Clone();
        s[^1] += delta;
        return s;
    }
}
