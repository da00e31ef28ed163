using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

public static partial class Kl
{
    /// <summary>
    /// Normal: KL = log(σq/σp) + (σp² + (μp − μq)²)/(2σq²) − ½ = ½·g(σp²/σq²) + (μp − μq)²/(2σq²), with
    /// g(r) = r − 1 − log r taken in double so that nearly equal scales do not cancel to noise.
    /// </summary>
    static Var NormalNormal(Normal p, Normal q) => GaussianKl(p.Loc, p.Scale, q.Loc, q.Scale);

    /// <summary>LogNormal: the normal KL of the logarithms (KL is invariant under the bijection x ↦ log x).</summary>
    static Var LogNormalLogNormal(LogNormal p, LogNormal q) => GaussianKl(p.Loc, p.Scale, q.Loc, q.Scale);

    static Var GaussianKl(Var muP, Var sigmaP, Var muQ, Var sigmaQ) => Ops.Elementwise<GaussianTerm>(sigmaP, sigmaQ, muP - muQ);

    /// <summary>
    /// ½[g(r²) + m²] with r = σp/σq, m = (μp − μq)/σq and g the shared core below, fused into one node in double:
    /// ∂/∂σp = r/σq − 1/σp, ∂/∂σq = (1 − r² − m²)/σq, ∂/∂(μp − μq) = m/σq.
    /// </summary>
    readonly struct GaussianTerm : IScalarFunction3
    {
        public static double Value(double sigmaP, double sigmaQ, double diff)
        {
            double r = sigmaP / sigmaQ, m = diff / sigmaQ;
            return 0.5 * (RatioMinusOneMinusLog.Value(r * r) + m * m);
        }

        public static (double Da, double Db, double Dc) Gradient(double sigmaP, double sigmaQ, double diff)
        {
            double r = sigmaP / sigmaQ, m = diff / sigmaQ;
            return (r / sigmaQ - 1 / sigmaP, (1 - r * r - m * m) / sigmaQ, m / sigmaQ);
        }
    }

    /// <summary>HalfNormal: both are folded at 0 alike, so KL = ½·g(σp²/σq²) (the zero-mean normal KL).</summary>
    static Var HalfNormalHalfNormal(HalfNormal p, HalfNormal q) =>
        Ops.Mul(Ops.Elementwise<RatioMinusOneMinusLog>(Ops.Square(p.Scale / q.Scale)), 0.5f);

    /// <summary>
    /// Multivariate normal (e.g. Rasmussen &amp; Williams 2006, eq. A.23):
    /// KL = ½[tr(Σq⁻¹Σp) + (μq − μp)ᵀΣq⁻¹(μq − μp) − K + log|Σq| − log|Σp|], through the Cholesky factors:
    /// tr(Σq⁻¹Σp) = ‖Lq⁻¹Lp‖²_F (one triangular solve per column of Lp), the quadratic form ‖Lq⁻¹(μq − μp)‖², and
    /// ½ log|Σ| = Σᵢ log Lᵢᵢ. The batch axes of the four parameters broadcast.
    /// </summary>
    static Var MvnMvn(MultivariateNormal p, MultivariateNormal q)
    {
        int k = p.EventShape[0];
        if (q.EventShape[0] != k)
            throw new ShapeException($"KL between multivariate normals of sizes {k} and {q.EventShape[0]}");
        var lq = q.ScaleTril;
        // Row j of Lpᵀ is column j of Lp; putting the column index on a batch axis against a unit axis on Lq solves all
        // K columns at once: M[..., j, :] = Lq⁻¹ Lp[..., :, j].
        var m = Ops.TriangularSolve(Ops.Reshape(lq, [.. lq.Shape[..^2], 1, k, k]), Ops.Transpose(p.ScaleTril));
        var trace = Ops.Sum(Ops.Sum(Ops.Square(m), -1), -1);
        var z = Ops.TriangularSolve(lq, q.Loc - p.Loc);
        var mahal = Ops.Sum(Ops.Square(z), -1);
        return Ops.Mul(trace + mahal - k, 0.5f) + q.HalfLogDet - p.HalfLogDet;
    }

    /// <summary>
    /// Cauchy (Chyzak &amp; Nielsen 2019, "A closed-form formula for the Kullback–Leibler divergence between Cauchy
    /// distributions", arXiv:1905.10965): KL = log(((σp + σq)² + (μp − μq)²)/(4σpσq)). It is symmetric.
    /// </summary>
    static Var CauchyCauchy(Cauchy p, Cauchy q) =>
        Ops.Log(Ops.Square(p.Scale + q.Scale) + Ops.Square(p.Loc - q.Loc)) - Ops.Log(Ops.Mul(p.Scale * q.Scale, 4f));

    /// <summary>
    /// Laplace (Gil, Alajaji &amp; Linder 2013, "Rényi divergence measures for commonly used univariate continuous
    /// distributions", Information Sciences 249, table 3, the α → 1 limit): with Δ = |μp − μq|,
    /// KL = log(bq/bp) + Δ/bq + (bp/bq)·e^{−Δ/bp} − 1.
    /// </summary>
    static Var LaplaceLaplace(Laplace p, Laplace q)
    {
        var delta = Ops.Abs(p.Loc - q.Loc);
        var ratio = p.Scale / q.Scale;
        return delta / q.Scale + ratio * Ops.Exp(-(delta / p.Scale)) - Ops.Log(ratio) - 1f;
    }

    /// <summary>
    /// Gumbel: with E_p[x] = μp + βpγ and E_p[e^{−x/βq}] = e^{−μp/βq}·Γ(1 + βp/βq) (the Gumbel's moment generating
    /// function), KL = log(βq/βp) + γ(βp/βq − 1) + (μp − μq)/βq + e^{(μq − μp)/βq}·Γ(1 + βp/βq) − 1.
    /// </summary>
    static Var GumbelGumbel(Gumbel p, Gumbel q)
    {
        var ratio = p.Scale / q.Scale;
        var shift = (p.Loc - q.Loc) / q.Scale;
        return -Ops.Log(ratio) + Ops.Mul(ratio - 1f, Gumbel.EulerGamma) + shift + Ops.Exp(Ops.Lgamma(ratio + 1f) - shift) - 1f;
    }

    /// <summary>
    /// Uniform: KL = log((bq − aq)/(bp − ap)) when [ap, bp] ⊆ [aq, bq], +∞ otherwise (p then has mass where q has none).
    /// </summary>
    static Var UniformUniform(Uniform p, Uniform q)
    {
        var kl = Ops.Log(q.High - q.Low) - Ops.Log(p.High - p.Low);
        var inside = Ops.Mul(Ops.Compare(p.Low, q.Low, static (a, b) => a >= b), Ops.Compare(p.High, q.High, static (a, b) => a <= b));
        var shape = Shapes.Broadcast(kl.Shape, inside.Shape);
        return Ops.Where(inside.Value, Ops.BroadcastTo(kl, shape), float.PositiveInfinity);
    }

    /// <summary>Exponential: with r = λq/λp, KL = log(λp/λq) + λq/λp − 1 = g(r) = r − 1 − log r.</summary>
    static Var ExponentialExponential(Exponential p, Exponential q) => Ops.Elementwise<RatioMinusOneMinusLog>(q.Rate / p.Rate);

    /// <summary>
    /// Exponential(λ) ‖ Gamma(α, β): with E_p[log x] = −γ − log λ, E_p[x] = 1/λ and H(p) = 1 − log λ,
    /// KL = −α·log(β/λ) + β/λ + log Γ(α) + γ(α − 1) − 1.
    /// </summary>
    static Var ExponentialGamma(Exponential p, Gamma q)
    {
        var r = q.Rate / p.Rate;
        var a = q.Concentration;
        return r - a * Ops.Log(r) + Ops.Lgamma(a) + Ops.Mul(a - 1f, Gumbel.EulerGamma) - 1f;
    }

    /// <summary>
    /// Gamma(α, β) ‖ Exponential(λ): −H(p) − E_p[log λ − λx] = λα/β − log λ − (α − log β + log Γ(α) + (1 − α)ψ(α)).
    /// </summary>
    static Var GammaExponential(Gamma p, Exponential q) =>
        q.Rate * p.Concentration / p.Rate - Ops.Log(q.Rate) - p.Entropy();

    /// <summary>
    /// Gamma(αp, βp) ‖ Gamma(αq, βq) (Penny 2001, "KL-divergences of Normal, Gamma, Dirichlet and Wishart densities",
    /// eq. 13): KL = (αp − αq)ψ(αp) − log Γ(αp) + log Γ(αq) + αq·log(βp/βq) + αp(βq − βp)/βp. The first three terms are
    /// one double-precision op (<see cref="ShapeTerm"/>): they are of size α·log α and cancel when the shapes are close.
    /// </summary>
    static Var GammaGamma(Gamma p, Gamma q) => GammaKl(p.Concentration, p.Rate, q.Concentration, q.Rate);

    /// <summary>
    /// InverseGamma(α, β) ‖ InverseGamma(α′, β′): x ↦ 1/x maps InverseGamma(α, scale β) onto Gamma(α, rate β) and KL is
    /// invariant under bijections, so this is the Gamma KL with rates equal to the scales.
    /// </summary>
    static Var InverseGammaInverseGamma(InverseGamma p, InverseGamma q) => GammaKl(p.Concentration, p.Scale, q.Concentration, q.Scale);

    static Var GammaKl(Var ap, Var bp, Var aq, Var bq)
    {
        var r = bq / bp;
        return Ops.Elementwise<ShapeTerm>(ap, aq) - aq * Ops.Log(r) + ap * (r - 1f);
    }

    /// <summary>
    /// Beta (Penny 2001, via the Dirichlet with K = 2): KL = log B(aq, bq) − log B(ap, bp) + (ap − aq)ψ(ap)
    /// + (bp − bq)ψ(bp) + (aq − ap + bq − bp)ψ(ap + bp) = T(ap, aq) + T(bp, bq) − T(ap + bp, aq + bq) with
    /// T(a, a′) = log Γ(a′) − log Γ(a) + (a − a′)ψ(a) (<see cref="ShapeTerm"/>).
    /// </summary>
    static Var BetaBeta(Beta p, Beta q) =>
        Ops.Elementwise<ShapeTerm>(p.A, q.A) + Ops.Elementwise<ShapeTerm>(p.B, q.B) - Ops.Elementwise<ShapeTerm>(p.A + p.B, q.A + q.B);

    /// <summary>
    /// Dirichlet (Penny 2001, eq. 20): KL = log Γ(α₀) − Σ log Γ(αₖ) − log Γ(α′₀) + Σ log Γ(α′ₖ) + Σ (αₖ − α′ₖ)(ψ(αₖ) − ψ(α₀))
    /// = Σₖ T(αₖ, α′ₖ) − T(α₀, α′₀), α₀ = Σ αₖ.
    /// </summary>
    static Var DirichletDirichlet(Dirichlet p, Dirichlet q)
    {
        var ap = p.Concentration; var aq = q.Concentration;
        return Ops.Sum(Ops.Elementwise<ShapeTerm>(ap, aq), -1) - Ops.Elementwise<ShapeTerm>(Ops.Sum(ap, -1), Ops.Sum(aq, -1));
    }

    /// <summary>
    /// Bernoulli: KL = p log(p/q) + (1 − p) log((1 − p)/(1 − q)). From logits l it is softplus(lq) − softplus(lp)
    /// + σ(lp)(lp − lq), finite for any logits; from probabilities it uses x·log y with 0·log 0 = 0, so p ∈ {0, 1} works.
    /// </summary>
    static Var BernoulliBernoulli(Bernoulli p, Bernoulli q)
    {
        if (p.IsLogitParameterized && q.IsLogitParameterized)
        {
            var lp = p.Logits; var lq = q.Logits;
            return Ops.Softplus(lq) - Ops.Softplus(lp) + Ops.Sigmoid(lp) * (lp - lq);
        }
        return BernoulliFromProbs(p.Probs, q.Probs);
    }

    static Var BernoulliFromProbs(Var pp, Var pq)
    {
        var np = 1f - pp; var nq = 1f - pq;
        return Ops.XLogY(pp, pp) - Ops.XLogY(pp, pq) + Ops.XLogY(np, np) - Ops.XLogY(np, nq);
    }

    /// <summary>
    /// Binomial(n, p) ‖ Binomial(n, q) with the same n: the binomial coefficients cancel and KL = n·KL_Bernoulli(p ‖ q).
    /// Different totals are rejected (PyTorch's convention): with n_p &gt; n_q the KL is +∞, and the other way has no
    /// closed form.
    /// </summary>
    static Var BinomialBinomial(Binomial p, Binomial q)
    {
        var eq = Ops.Compare(p.TotalCount, q.TotalCount, static (a, b) => a == b).Value.Span;
        foreach (float e in eq)
            if (e == 0) throw new NotSupportedException("KL between binomials is only implemented for equal total counts");
        return p.TotalCount * BernoulliFromProbs(p.Probs, q.Probs);
    }

    /// <summary>
    /// Categorical: KL = Σₖ pₖ(log pₖ − log qₖ) over the last axis, from the normalised log-probabilities (exact for
    /// logits far apart), with the 0·log 0 = 0 convention: classes p gives no mass contribute nothing, and a class with
    /// pₖ &gt; 0 = qₖ makes the divergence +∞.
    /// </summary>
    static Var CategoricalCategorical(Categorical p, Categorical q)
    {
        if (p.NumCategories != q.NumCategories)
            throw new ShapeException($"KL between categoricals with {p.NumCategories} and {q.NumCategories} categories");
        var probs = p.Probs;
        var term = probs * (p.Logits - q.Logits);
        var positive = Ops.Compare(probs, 0f, static (a, b) => a > b).Value;
        var shape = Shapes.Broadcast(term.Shape, positive.Shape);
        return Ops.Sum(Ops.Where(positive, Ops.BroadcastTo(term, shape), 0f), -1);
    }

    /// <summary>Poisson: KL = λp log(λp/λq) − λp + λq.</summary>
    static Var PoissonPoisson(Poisson p, Poisson q) =>
        Ops.XLogY(p.Rate, p.Rate) - Ops.XLogY(p.Rate, q.Rate) - p.Rate + q.Rate;

    /// <summary>
    /// Geometric on {0, 1, ...} with p(k) = (1 − a)ᵏa: E_p[k] = (1 − a)/a, so
    /// KL = log(a/b) + ((1 − a)/a)·(log(1 − a) − log(1 − b)).
    /// </summary>
    static Var GeometricGeometric(Geometric p, Geometric q)
    {
        var a = p.Probs; var b = q.Probs;
        return Ops.Log(a) - Ops.Log(b) + ((1f - a) / a) * (Ops.Log1p(-a) - Ops.Log1p(-b));
    }

    /// <summary>
    /// g(r) = r − 1 − log r ≥ 0, the shared core of the scale-family divergences, in double as x − log1p(x) with
    /// x = r − 1 (exact for a float r), so it keeps its relative accuracy as r → 1 where it vanishes like x²/2.
    /// g′(r) = 1 − 1/r.
    /// </summary>
    readonly struct RatioMinusOneMinusLog : IScalarFunction1
    {
        public static double Value(double r)
        {
            double x = r - 1;
            return Math.Abs(x) < 0.5 ? x - SpecialFunctions.Log1p(x) : x - Math.Log(r);
        }
        public static double Derivative(double r) => 1 - 1 / r;
    }

    /// <summary>
    /// T(a, b) = log Γ(b) − log Γ(a) + (a − b)ψ(a), the shape part of the gamma-family divergences, in double.
    /// ∂T/∂a = (a − b)ψ′(a), ∂T/∂b = ψ(b) − ψ(a).
    /// </summary>
    readonly struct ShapeTerm : IScalarFunction2
    {
        public static double Value(double a, double b) =>
            a == b ? 0 : SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(a) + (a - b) * SpecialFunctions.Digamma(a);
        public static (double Da, double Db) Gradient(double a, double b) =>
            ((a - b) * SpecialFunctions.Trigamma(a), SpecialFunctions.Digamma(b) - SpecialFunctions.Digamma(a));
    }
}
