using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Flows;

/// <summary>
/// The radial flow of Rezende &amp; Mohamed 2015 (§4.1, appendix A.2): f(z) = z + β·h(α, r)·(z − z₀) with
/// r = ‖z − z₀‖, h = 1/(α + r), and
/// log|det ∂f/∂z| = (D − 1)·log(1 + βh) + log(1 + βh + βh′r) = (D − 1)·log(1 + βh) + log(1 + βα/(α + r)²).
/// Invertibility needs β ≥ −α; with α = softplus(α̃) &gt; 0 and β = −α + softplus(β̃) it holds for any free α̃, β̃.
/// <para>
/// The paper gives no inverse, but one exists in closed form: f moves z along the ray from z₀, so with
/// s = ‖y − z₀‖ = r(1 + β/(α + r)) the radius solves r² + (α + β − s)·r − αs = 0, whose one nonnegative root is
/// r = ((s − α − β) + √((α + β − s)² + 4αs))/2 (written as 2αs/(α + β − s + √·) when α + β − s ≥ 0 to avoid
/// cancellation); then z = z₀ + (y − z₀)/(1 + β/(α + r)). It is built from differentiable ops.
/// </para>
/// </summary>
public sealed class Radial : Flow
{
    readonly Var z0, alphaRaw, betaRaw;
    readonly Var? cz0, ca, cb;

    /// <summary>A radial layer on ℝ^<paramref name="dim"/>, parameters drawn U(−1/√D, 1/√D) from <paramref name="rng"/>.</summary>
    public Radial(int dim, Rng rng, int contextDim = 0) : base(dim, contextDim)
    {
        float a = 1f / MathF.Sqrt(dim);
        z0 = Var.Parameter(UniformTensor(rng, a, dim), "z0");
        alphaRaw = Var.Parameter(UniformTensor(rng, a, 1), "alpha");
        betaRaw = Var.Parameter(UniformTensor(rng, a, 1), "beta");
        cz0 = ContextWeight(dim, "context_z0");
        ca = ContextWeight(1, "context_alpha");
        cb = ContextWeight(1, "context_beta");
    }

    /// <summary><paramref name="layers"/> radial layers in sequence (the .ppl <c>Radial(K)</c>).</summary>
    public static FlowSequence Stack(int dim, int layers, Rng rng, int contextDim = 0) =>
        new(Enumerable.Range(0, layers).Select(_ => (Flow)new Radial(dim, rng.Split(), contextDim)));

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Var Parameter)> NamedParameters()
    {
        yield return ("z0", z0);
        yield return ("alpha", alphaRaw);
        yield return ("beta", betaRaw);
        if (cz0 is not null) { yield return ("context_z0", cz0); yield return ("context_alpha", ca!); yield return ("context_beta", cb!); }
    }

    (Var Z0, Var Alpha, Var Beta) Parameters(Var? context)
    {
        var alpha = Ops.Softplus(Shift(alphaRaw, ca, context));
        var beta = Ops.Softplus(Shift(betaRaw, cb, context)) - alpha;
        return (Shift(z0, cz0, context), alpha, beta);
    }

    /// <inheritdoc/>
    public override (Var Y, Var LogDet) ForwardWithLogDet(Var x, Var? context)
    {
        var (c, alpha, beta) = Parameters(context);
        var diff = x - c;
        var r = Ops.Sqrt(Ops.Sum(Ops.Square(diff), -1, keepDims: true));
        var h = 1f / (alpha + r);
        var bh = beta * h;
        var y = x + bh * diff;
        var logDet = Ops.Log1p(bh) * (Dim - 1) + Ops.Log1p(beta * alpha * Ops.Square(h));
        return (y, DropLast(logDet));
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y, Var? context)
    {
        var (c, alpha, beta) = Parameters(context);
        var dy = y - c;
        var s = Ops.Sqrt(Ops.Sum(Ops.Square(dy), -1, keepDims: true));
        var p = alpha + beta - s;
        var q = Ops.Sqrt(Ops.Square(p) + 4f * alpha * s);
        var pNonNegative = Ops.Compare(p, 0f, static (a, b) => a >= b).Value;
        var r = Ops.Where(pNonNegative, 2f * alpha * s / (p + q), (q - p) * 0.5f);
        return c + dy / (1f + beta / (alpha + r));
    }
}
