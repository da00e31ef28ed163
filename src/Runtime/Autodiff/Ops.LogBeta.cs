using Ppl.Runtime.Numerics;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The log multivariate beta function over the last axis, log B(α) = Σⱼ log Γ(αⱼ) − log Γ(Σⱼ αⱼ) (the Dirichlet
    /// normaliser), evaluated in double: its terms are of size α·log α and cancel, so a float composition would lose
    /// ε₃₂·K·α·log α. ∂/∂αⱼ = ψ(αⱼ) − ψ(Σᵢ αᵢ). The result drops the last axis.
    /// </summary>
    public static Var LogMultivariateBeta(Var alpha)
    {
        if (alpha.Rank == 0) throw new ShapeException("LogMultivariateBeta needs an axis to reduce (shape [..., K])");
        int k = alpha.Shape[^1];
        var tape = TapeOf(alpha);
        var v = Alloc(tape, alpha.Shape[..^1]);
        var a = alpha.Value.Span; var vs = v.Span;
        for (int e = 0; e < vs.Length; e++)
        {
            double s = 0, lg = 0;
            for (int j = 0; j < k; j++)
            {
                double aj = a[e * k + j];
                s += aj;
                lg += SpecialFunctions.LogGamma(aj);
            }
            vs[e] = (float)(lg - SpecialFunctions.LogGamma(s));
        }
        return Result(tape, v, In(alpha), y =>
        {
            var t = Temp(y, alpha.Shape);
            var d = t.Span; var g = y.Grad!.Span; var x = alpha.Value.Span;
            for (int e = 0; e < g.Length; e++)
            {
                double s = 0;
                for (int j = 0; j < k; j++) s += x[e * k + j];
                double psiSum = SpecialFunctions.Digamma(s);
                for (int j = 0; j < k; j++) d[e * k + j] = (float)(g[e] * (SpecialFunctions.Digamma(x[e * k + j]) - psiSum));
            }
            Acc(y, alpha, t, owned: true);
        });
    }
}
