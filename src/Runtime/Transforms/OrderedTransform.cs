using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// Stan's map ℝᴷ → increasing vectors (Stan Reference Manual, "Ordered vector"): y₀ = x₀, yₖ = yₖ₋₁ + exp(xₖ), so
/// y is the running sum of (x₀, e^{x₁}, …, e^{x_{K−1}}). The Jacobian is lower triangular with diagonal
/// (1, e^{x₁}, …), so log|det J| = Σ_{k≥1} xₖ. Inverse: x₀ = y₀, xₖ = log(yₖ − yₖ₋₁). NumPyro's and PyTorch's
/// <c>OrderedTransform</c> are the same map.
/// </summary>
public sealed class OrderedTransform : Transform
{
    /// <summary>The shared instance.</summary>
    public static readonly OrderedTransform Instance = new();

    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.Ordered;
    /// <inheritdoc/>
    public override int EventDim => 1;

    /// <inheritdoc/>
    public override Var Forward(Var x)
    {
        int k = Length(x);
        if (k == 1) return x;
        return Ops.CumSum(Ops.Concat([Ops.Slice(x, -1, 0, 1), Ops.Exp(Ops.Slice(x, -1, 1, k))], -1), -1);
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y)
    {
        int k = Length(y);
        if (k == 1) return y;
        var gaps = Ops.Slice(y, -1, 1, k) - Ops.Slice(y, -1, 0, k - 1);
        return Ops.Concat([Ops.Slice(y, -1, 0, 1), Ops.Log(gaps)], -1);
    }

    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y)
    {
        int k = Length(x);
        return k == 1 ? Ops.Sum(x * 0f, -1) : Ops.Sum(Ops.Slice(x, -1, 1, k), -1);
    }

    static int Length(Var v) =>
        v.Rank == 0 ? throw new ShapeException("an ordered vector needs a vector (shape [..., K]), got a scalar") : v.Shape[^1];
}
