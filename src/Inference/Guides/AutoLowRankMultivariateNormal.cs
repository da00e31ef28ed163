using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Guides;

/// <summary>
/// The low-rank guide (Pyro's AutoLowRankMultivariateNormal): covariance Σ = S(WWᵀ + I)S with S = diag(s), s &gt; 0
/// and W of shape [D, r], r = round(√D) by default: D(r + 2) parameters instead of D(D + 3)/2, yet correlations
/// between every pair. The factor L = S·chol(WWᵀ + I) is lower-triangular with LLᵀ = Σ. W starts at N(0, 1/r) entries
/// and s at <see cref="AutoGuide.InitScale"/>/√2, so each marginal variance starts at about InitScale².
/// </summary>
public sealed class AutoLowRankMultivariateNormal : JointNormalGuide
{
    readonly string factorName, scaleName;
    readonly Func<Tensor> factorInit, scaleInit;
    readonly Tensor identity;

    /// <summary>The guide over <paramref name="latents"/> of model <paramref name="modelName"/>.</summary>
    /// <param name="modelName">the model's name</param>
    /// <param name="latents">its latent sites</param>
    /// <param name="seed">seed of W's random start</param>
    /// <param name="rank">r; null for round(√D)</param>
    public AutoLowRankMultivariateNormal(string modelName, IReadOnlyList<LatentSite> latents, ulong seed = 0, int? rank = null)
        : base("auto_lowrank", modelName, latents)
    {
        Rank = rank ?? Math.Max(1, (int)Math.Round(Math.Sqrt(Dim)));
        factorName = $"{Prefix}.cov_factor";
        scaleName = $"{Prefix}.scale";
        var w = new float[Dim * Rank];
        new Rng(seed).Fork(0x10_3A_4C).FillNormal(w, 0f, 1f / MathF.Sqrt(Rank));
        var factor = new Tensor(w, Dim, Rank);
        var scale = Tensor.Full(InitScale / MathF.Sqrt(2f), Dim);
        factorInit = () => factor;
        scaleInit = () => scale;
        identity = Tensor.Zeros(Dim, Dim);
        for (int i = 0; i < Dim; i++) identity[i, i] = 1f;
    }

    /// <summary>r, the rank of W.</summary>
    public int Rank { get; }

    /// <inheritdoc/>
    protected override Var ScaleTril(ModelContext context, SiteLocation at)
    {
        var w = context.Param(factorName, factorInit, Constraint.Real, at);
        var s = context.Param(scaleName, scaleInit, Constraint.Positive, at);
        var inner = Ops.Cholesky(Ops.MatMul(w, Ops.Transpose(w)) + context.Constant(identity));
        return Ops.Mul(Ops.Reshape(s, Dim, 1), inner);
    }
}
