using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// MultivariateNormal(loc, covariance | scale_tril) over vectors of length K:
/// p(x) = (2π)^{−K/2} |Σ|^{−½} exp(−½ (x − μ)ᵀ Σ⁻¹ (x − μ)), held through the lower Cholesky factor L (Σ = LLᵀ) so
/// that the density needs one triangular solve, z = L⁻¹(x − μ), and log|Σ| = 2 Σᵢ log Lᵢᵢ (Rasmussen &amp; Williams,
/// "Gaussian Processes for Machine Learning", 2006, appendix A.4). Reparameterized as x = μ + L·ε, ε ~ N(0, I_K).
/// loc has shape [..., K] and the factor [..., K, K]; their leading axes broadcast to the batch shape, and one
/// factor shared by a whole batch of means is never copied.
/// </summary>
public sealed class MultivariateNormal : Distribution
{
    /// <summary>Mean μ, shape [..., K].</summary>
    public Var Loc { get; }
    /// <summary>Lower Cholesky factor L of the covariance, shape [..., K, K], upper triangle zero.</summary>
    public Var ScaleTril { get; }

    readonly int k;

    /// <summary>
    /// MultivariateNormal with mean <paramref name="loc"/> and covariance <paramref name="covariance"/> (the
    /// positional order of the language's <c>MultivariateNormal(loc, cov)</c>); the covariance is factored by
    /// <see cref="Ops.Cholesky"/>, differentiably.
    /// </summary>
    public MultivariateNormal(Var loc, Var covariance) : this(loc, Ops.Cholesky(CheckSquare(covariance, "covariance")), Factor.Tril) { }

    /// <summary>Marks the constructor that takes the factor itself (its signature would otherwise equal the public one).</summary>
    enum Factor { Tril }

    MultivariateNormal(Var loc, Var scaleTril, Factor _)
    {
        CheckSquare(scaleTril, "scale_tril");
        if (loc.Rank < 1 || loc.Shape[^1] != scaleTril.Shape[^1])
            throw new ShapeException($"MultivariateNormal: loc of shape {Shapes.Format(loc.Shape)} does not match a factor of shape {Shapes.Format(scaleTril.Shape)}");
        Loc = loc;
        ScaleTril = scaleTril;
        k = loc.Shape[^1];
        BatchShape = Shapes.Broadcast(loc.Shape.AsSpan(0, loc.Rank - 1), scaleTril.Shape.AsSpan(0, scaleTril.Rank - 2));
        EventShape = [k];
    }

    /// <summary>From a mean and a covariance matrix (factored by Cholesky).</summary>
    public static MultivariateNormal FromCovariance(Var loc, Var covariance) => new(loc, covariance);

    /// <summary>
    /// From a mean and a lower-triangular factor with positive diagonal (Σ = LLᵀ) — what a full-rank guide learns.
    /// A factor with non-zeros above the diagonal is rejected: the solve would ignore them but the sampler would not.
    /// </summary>
    public static MultivariateNormal FromScaleTril(Var loc, Var scaleTril)
    {
        CheckSquare(scaleTril, "scale_tril");
        int k = scaleTril.Shape[^1];
        var s = scaleTril.Value.Span;
        for (int b = 0; b < s.Length; b += k * k)
            for (int i = 0; i < k; i++)
                for (int j = i + 1; j < k; j++)
                    if (s[b + i * k + j] != 0)
                        throw new ArgumentException($"scale_tril has a non-zero entry above the diagonal at ({i}, {j})", nameof(scaleTril));
        return new MultivariateNormal(loc, scaleTril, Factor.Tril);
    }

    static Var CheckSquare(Var m, string name)
    {
        if (m.Rank < 2 || m.Shape[^1] != m.Shape[^2])
            throw new ShapeException($"MultivariateNormal: {name} must be [..., K, K], got shape {Shapes.Format(m.Shape)}");
        return m;
    }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override int[] EventShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Real;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>Σ = LLᵀ, shape [..., K, K].</summary>
    public Var Covariance => Ops.MatMul(ScaleTril, Ops.Transpose(ScaleTril));

    /// <summary>log|L| = Σᵢ log Lᵢᵢ = ½ log|Σ|, shape of the factor's batch.</summary>
    internal Var HalfLogDet => Ops.Sum(Ops.Log(Ops.Diagonal(ScaleTril)), -1);

    /// <summary>log p(x) = −½‖L⁻¹(x − μ)‖² − Σᵢ log Lᵢᵢ − (K/2) log 2π, one value per batch element.</summary>
    public override Var LogProb(Var value)
    {
        var z = Ops.TriangularSolve(ScaleTril, value - Loc);
        return Ops.Mul(Ops.Sum(Ops.Square(z), -1), -0.5f) - HalfLogDet - k * DistributionParams.HalfLog2Pi;
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var eps = DistributionParams.Noise(Loc.Tape is null ? ScaleTril : Loc, ExtendedShape(sampleShape), rng.FillNormal);
        return Loc + Ops.MatVec(ScaleTril, eps);
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new MultivariateNormal(Ops.BroadcastTo(Loc, [.. batchShape, k]), Ops.BroadcastTo(ScaleTril, [.. batchShape, k, k]), Factor.Tril);

    /// <inheritdoc/>
    public override Var Mean => Ops.BroadcastTo(Loc, Shape);

    /// <summary>The marginal variances diag(LLᵀ)ᵢ = Σⱼ Lᵢⱼ².</summary>
    public override Var Variance => Ops.BroadcastTo(Ops.Sum(Ops.Square(ScaleTril), -1), Shape);

    /// <summary>H = (K/2)(1 + log 2π) + Σᵢ log Lᵢᵢ.</summary>
    public override Var Entropy() => Ops.BroadcastTo(HalfLogDet + k * (0.5f + DistributionParams.HalfLog2Pi), BatchShape);
}
