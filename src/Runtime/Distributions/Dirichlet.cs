using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Dirichlet(concentration): p(z) = Πⱼ zⱼ^(αⱼ−1)/B(α) on the simplex, B(α) = Πⱼ Γ(αⱼ)/Γ(Σⱼ αⱼ). The concentration has
/// shape BatchShape ++ [K]; each event is a vector of K. Reparameterized as normalised gammas zⱼ = Xⱼ/Σᵢ Xᵢ,
/// Xⱼ ~ Gamma(αⱼ, 1), each with its implicit gradient (Figurnov, Mohamed &amp; Mnih 2018), differentiated through the
/// normalisation (<see cref="Ops.StandardDirichlet"/>).
/// </summary>
public sealed class Dirichlet : Distribution
{
    /// <summary>Dirichlet with concentrations <paramref name="concentration"/> &gt; 0 on the last axis.</summary>
    public Dirichlet(Var concentration)
    {
        if (concentration.Rank == 0) throw new ShapeException("Dirichlet needs a concentration vector (shape [..., K])");
        Concentration = concentration;
        BatchShape = concentration.Shape[..^1];
        EventShape = [concentration.Shape[^1]];
    }

    /// <summary>The concentrations α, shape BatchShape ++ [K].</summary>
    public Var Concentration { get; }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override int[] EventShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Simplex;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>log p(z) = Σⱼ (αⱼ − 1)·log zⱼ − log B(α), with 0·log 0 = 0 (so αⱼ = 1 allows zⱼ = 0).</summary>
    public override Var LogProb(Var value) =>
        Ops.Sum(Ops.XLogY(Concentration - 1f, value), -1) - Ops.LogMultivariateBeta(Concentration);

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null) =>
        Ops.StandardDirichlet(Concentration, ExtendedShape(sampleShape), rng);

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) =>
        Ops.StandardDirichlet(Ops.Detach(Concentration), ExtendedShape(sampleShape), rng).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new Dirichlet(DistributionParams.Expand(Concentration, [.. batchShape, EventShape[0]]));

    /// <summary>E[zⱼ] = αⱼ/α₀, α₀ = Σᵢ αᵢ.</summary>
    public override Var Mean => Concentration / Ops.Sum(Concentration, -1, keepDims: true);

    /// <summary>Var[zⱼ] = αⱼ(α₀ − αⱼ)/(α₀²(α₀ + 1)).</summary>
    public override Var Variance
    {
        get
        {
            var a0 = Ops.Sum(Concentration, -1, keepDims: true);
            return Concentration * (a0 - Concentration) / (Ops.Square(a0) * (a0 + 1f));
        }
    }

    /// <summary>H = log B(α) + (α₀ − K)ψ(α₀) − Σⱼ (αⱼ − 1)ψ(αⱼ).</summary>
    public override Var Entropy()
    {
        int k = EventShape[0];
        var a0 = Ops.Sum(Concentration, -1);
        return Ops.LogMultivariateBeta(Concentration) + (a0 - (float)k) * Ops.Digamma(a0)
            - Ops.Sum((Concentration - 1f) * Ops.Digamma(Concentration), -1);
    }
}
