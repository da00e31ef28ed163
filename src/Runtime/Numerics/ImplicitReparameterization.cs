namespace Ppl.Runtime.Numerics;

/// <summary>
/// Pathwise derivatives of Gamma and Beta samples with respect to their shape parameters, for implicit
/// reparameterization gradients (Figurnov, Mohamed &amp; Mnih, "Implicit reparameterization gradients",
/// NeurIPS 2018): for x ~ F(·; α) drawn by any method, dx/dα = −(∂F(x; α)/∂α) / p(x; α).
/// </summary>
/// <remarks>
/// For Gamma(α, 1), F = P(α, x), the regularized lower incomplete gamma. Rather than Figurnov et al.'s
/// fitted approximations, ∂P/∂α is computed to near machine precision by differentiating the two classical
/// expansions term by term (the approach of Moore, "Algorithm AS 187: Derivatives of the incomplete gamma
/// integral", Appl. Stat. 1982):
/// <list type="bullet">
/// <item>x &lt; α + 1: P(α, x) = Σₙ xᵅ⁺ⁿe⁻ˣ/Γ(α + n + 1), so ∂P/∂α = Σₙ tₙ (ln x − ψ(α + n + 1)). Dividing by
/// p(x; α) = xᵅ⁻¹e⁻ˣ/Γ(α) leaves dx/dα = −(x/α) Σₙ rₙ (ln x − ψ(α + n + 1)) with r₀ = 1,
/// rₙ = rₙ₋₁·x/(α + n): no exponentials, so nothing under- or overflows; ψ advances by ψ(y + 1) = ψ(y) + 1/y.
/// In this region all terms but the first few have the same sign, so there is no cancellation.</item>
/// <item>x ≥ α + 1: Q(α, x) = e⁻ˣxᵅ/(Γ(α)·g) with Legendre's continued fraction
/// g = x + 1 − α − 1(1 − α)/(x + 3 − α − 2(2 − α)/(x + 5 − α − ...)) (A&amp;S 6.5.31). The convergents Aₙ/Bₙ
/// and their α-derivatives follow the same three-term recurrence, differentiated; then
/// dx/dα = ∂Q/∂α / p = x·((ln x − ψ(α))/g − g′/g²).</item>
/// </list>
/// Verified against 30-digit mpmath derivatives of P (tests/Runtime/Numerics).
/// </remarks>
public static class ImplicitReparameterization
{
    private const int MaxTerms = 2_000_000;

    /// <summary>dx/dα for a draw x ~ Gamma(α, 1). For Gamma(α, rate β), x = g/β and dx/dα = (dg/dα)/β.
    /// 0 at x = 0 (the limit), NaN for α ≤ 0.</summary>
    public static double GammaSampleDerivative(double x, double alpha)
    {
        if (!(alpha > 0) || double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return 0;
        if (double.IsPositiveInfinity(x)) return double.PositiveInfinity;
        return x < alpha + 1 ? SeriesDerivative(x, alpha) : ContinuedFractionDerivative(x, alpha);
    }

    /// <summary>dxᵢ/dαᵢ for Gamma(αᵢ, 1) draws (computed in double).</summary>
    public static void GammaSampleDerivative(ReadOnlySpan<float> x, ReadOnlySpan<float> alpha, Span<float> dst)
    {
        if (x.Length != alpha.Length || x.Length != dst.Length)
            throw new ArgumentException("x, alpha and dst must have the same length");
        for (int i = 0; i < x.Length; i++) dst[i] = (float)GammaSampleDerivative(x[i], alpha[i]);
    }

    /// <summary>
    /// ∂P(a, x)/∂a, the shape derivative of the regularized lower incomplete gamma (the Gamma CDF), from
    /// dx/da = −(∂P/∂a)/p(x; a).
    /// </summary>
    public static double GammaPShapeDerivative(double a, double x)
    {
        if (!(a > 0) || double.IsNaN(x)) return double.NaN;
        if (x <= 0 || double.IsPositiveInfinity(x)) return 0;
        double logPdf = (a - 1) * Math.Log(x) - x - SpecialFunctions.LogGamma(a);
        return -GammaSampleDerivative(x, a) * Math.Exp(logPdf);
    }

    /// <summary>
    /// For a Beta(a, b) draw made from gammas, X = g₁/(g₁ + g₂) with g₁ ~ Gamma(a), g₂ ~ Gamma(b), the
    /// pathwise derivatives dX/da = (1 − X)/(g₁ + g₂)·dg₁/da and dX/db = −X/(g₁ + g₂)·dg₂/db.
    /// </summary>
    public static (double DA, double DB) BetaSampleDerivatives(double g1, double g2, double a, double b)
    {
        double s = g1 + g2;
        double x = g1 / s;
        return ((1 - x) / s * GammaSampleDerivative(g1, a), -x / s * GammaSampleDerivative(g2, b));
    }

    /// <summary>
    /// The vector–Jacobian product for a Dirichlet(α) draw made from gammas, Xᵢ = Gᵢ/S with Gᵢ ~ Gamma(αᵢ) and
    /// S = Σ G: since ∂Xᵢ/∂Gⱼ = (δᵢⱼ − Xᵢ)/S, the gradient of a loss L with upstream gᵢ = ∂L/∂Xᵢ is
    /// ∂L/∂αⱼ = (gⱼ − Σᵢ gᵢXᵢ)/S · dGⱼ/dαⱼ. Writes it to <paramref name="gradAlpha"/> (overwritten, not
    /// accumulated) without forming the K×K Jacobian.
    /// </summary>
    public static void DirichletSampleVjp(ReadOnlySpan<float> gammas, ReadOnlySpan<float> alpha,
        ReadOnlySpan<float> upstream, Span<float> gradAlpha)
    {
        int k = gammas.Length;
        if (alpha.Length != k || upstream.Length != k || gradAlpha.Length != k)
            throw new ArgumentException("gammas, alpha, upstream and gradAlpha must have the same length");
        double s = 0;
        foreach (float g in gammas) s += g;
        double gx = 0;
        for (int i = 0; i < k; i++) gx += upstream[i] * (gammas[i] / s);
        for (int j = 0; j < k; j++)
            gradAlpha[j] = (float)((upstream[j] - gx) / s * GammaSampleDerivative(gammas[j], alpha[j]));
    }

    private static double SeriesDerivative(double x, double a)
    {
        double lnx = Math.Log(x);
        double psi = SpecialFunctions.Digamma(a + 1);
        double r = 1, sum = lnx - psi;
        for (int n = 1; n < MaxTerms; n++)
        {
            double an = a + n;
            double ratio = x / an;
            r *= ratio;
            psi += 1 / an;
            double diff = lnx - psi;
            sum += r * diff;
            // The remaining terms are bounded by a geometric series of ratio < x/(a + n) (< 1 here), with
            // |ln x − ψ| growing only logarithmically.
            if (r * (Math.Abs(diff) + 1) <= 1e-17 * Math.Abs(sum) * (1 - ratio)) break;
        }
        return -(x / a) * sum;
    }

    private static double ContinuedFractionDerivative(double x, double a)
    {
        // Convergents of g = b₀ + a₁/(b₁ + a₂/(b₂ + ...)), aₙ = −n(n − a), bₙ = x + 2n + 1 − a;
        // ∂aₙ/∂a = n, ∂bₙ/∂a = −1.
        double aPrev = 1, bPrev = 0, daPrev = 0, dbPrev = 0;       // A₋₁, B₋₁ and derivatives
        double aCur = x + 1 - a, bCur = 1, daCur = -1, dbCur = 0;  // A₀, B₀
        double g = aCur, dg = -1;
        double lnxMinusPsi = Math.Log(x) - SpecialFunctions.Digamma(a);
        for (int n = 1; n < MaxTerms; n++)
        {
            double an = -n * (n - a), bn = x + 2 * n + 1 - a;
            double aNext = bn * aCur + an * aPrev;
            double bNext = bn * bCur + an * bPrev;
            double daNext = -aCur + bn * daCur + n * aPrev + an * daPrev;
            double dbNext = -bCur + bn * dbCur + n * bPrev + an * dbPrev;
            // Rescale by 1/Bₙ: g = A/B and g′ = (A′B − AB′)/B² are invariant under a common factor.
            double scale = 1 / bNext;
            aPrev = aCur * scale; bPrev = bCur * scale; daPrev = daCur * scale; dbPrev = dbCur * scale;
            aCur = aNext * scale; bCur = 1; daCur = daNext * scale; dbCur = dbNext * scale;
            double gNew = aCur, dgNew = daCur - aCur * dbCur;
            double termOld = lnxMinusPsi / g - dg / (g * g);
            double termNew = lnxMinusPsi / gNew - dgNew / (gNew * gNew);
            g = gNew;
            dg = dgNew;
            if (Math.Abs(termNew - termOld) <= 1e-16 * (Math.Abs(lnxMinusPsi / g) + Math.Abs(dg / (g * g)))) break;
        }
        return x * (lnxMinusPsi / g - dg / (g * g));
    }
}
