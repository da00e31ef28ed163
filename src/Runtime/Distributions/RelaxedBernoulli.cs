using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// RelaxedBernoulli(temperature, probs | logits), the binary Concrete distribution (Maddison, Mnih &amp; Teh 2017,
/// "The Concrete distribution: a continuous relaxation of discrete random variables", ICLR, §3.3 and appendix B;
/// Jang, Gu &amp; Poole 2017, "Categorical reparameterization with Gumbel-softmax", ICLR): a continuous stand-in on
/// (0, 1) for a Bernoulli with logit l that approaches it as the temperature λ → 0. Reparameterized as
/// y = σ((l + L)/λ) with L = log u − log(1 − u) standard logistic; the logit of y is Logistic(l/λ, 1/λ), so
/// p(y) = λ α y^{−λ−1}(1 − y)^{−λ−1} / (α y^{−λ} + (1 − y)^{−λ})², α = eˡ.
/// Draws are clamped to [ε, 1 − ε] with ε = 2⁻²³, as PyTorch does, so their log density stays finite.
/// With <see cref="StraightThrough"/> a draw is rounded to 0 or 1 in the forward pass while gradients flow
/// through the relaxed value (Bengio et al. 2013; Jang et al. 2017 §2.2), and the log density of such a draw is
/// that of the relaxed value it came from (as in Pyro; the draw is recognised by the returned <see cref="Var"/>
/// itself, so a copy or reshape of it is scored as the 0/1 value it holds).
/// </summary>
public sealed class RelaxedBernoulli : Distribution
{
    /// <summary>Temperature λ &gt; 0.</summary>
    public Var Temperature { get; }
    /// <summary>The logit l = log(p/(1 − p)) of the Bernoulli being relaxed.</summary>
    public Var Logits { get; }
    /// <summary>Whether draws are rounded to 0/1 with straight-through gradients.</summary>
    public bool StraightThrough { get; }

    /// <summary>The Bernoulli probability σ(l).</summary>
    public Var Probs => Ops.Sigmoid(Logits);

    /// <summary>Straight-through draws mapped to the relaxed values they were rounded from.</summary>

    /// <summary>2⁻²³: draws are kept in [ε, 1 − ε], where both the value and 1 − value are exact floats.</summary>
    internal const float Eps = 1.1920929e-7f;

    /// <summary>RelaxedBernoulli from a probability (the language's positional <c>RelaxedBernoulli(temperature, probs)</c>).</summary>
    public RelaxedBernoulli(Var temperature, Var probs, bool straightThrough = false)
        : this(temperature, ProbsToLogits(probs), straightThrough, Param.Logits) { }

    enum Param { Logits }

    RelaxedBernoulli(Var temperature, Var logits, bool straightThrough, Param _)
    {
        Temperature = temperature;
        Logits = logits;
        StraightThrough = straightThrough;
        BatchShape = DistributionParams.BatchShape(temperature, logits);
    }

    /// <summary>From logits l (numerically preferable).</summary>
    public static RelaxedBernoulli FromLogits(Var temperature, Var logits, bool straightThrough = false) =>
        new(temperature, logits, straightThrough, Param.Logits);

    /// <summary>From probabilities p, clamped to [ε, 1 − ε] before taking the logit so p = 0 or 1 stays finite.</summary>
    public static RelaxedBernoulli FromProbs(Var temperature, Var probs, bool straightThrough = false) =>
        new(temperature, probs, straightThrough);

    static Var ProbsToLogits(Var probs) => Ops.Logit(Ops.Minimum(Ops.Maximum(probs, Eps), 1f - Eps));

    /// <summary>The straight-through variant from logits (the language's <c>RelaxedBernoulliStraightThrough(temperature, logits: ...)</c>).</summary>
    public static RelaxedBernoulli StraightThroughFromLogits(Var temperature, Var logits) => FromLogits(temperature, logits, straightThrough: true);

    /// <summary>The straight-through variant from probabilities (the language's <c>RelaxedBernoulliStraightThrough(temperature, probs)</c>).</summary>
    public static RelaxedBernoulli StraightThroughFromProbs(Var temperature, Var probs) => FromProbs(temperature, probs, straightThrough: true);

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.UnitInterval;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>
    /// log p(y) = log λ + (l − λx) − 2·softplus(l − λx) − log y − log(1 − y) with x = logit(y): the logistic log
    /// density of x plus the log-Jacobian of y = σ(x), finite for every y in (0, 1).
    /// </summary>
    public override Var LogProb(Var value)
    {
        value = StraightThroughDraws.Unquantize(value);
        var t = Logits - Temperature * Ops.Logit(value);
        return Ops.Log(Temperature) + t - Ops.Mul(Ops.Softplus(t), 2f) - Ops.Log(value) - Ops.Log1p(-value);
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var l = DistributionParams.Noise(Logits.Tape is null ? Temperature : Logits, ExtendedShape(sampleShape), s => Logistic.StandardDraws(rng, s));
        var y = Ops.Minimum(Ops.Maximum(Ops.Sigmoid((Logits + l) / Temperature), Eps), 1f - Eps);
        if (!StraightThrough) return y;
        var hard = y.Tape is { } tape ? tape.Alloc(y.Shape) : Tensor.Zeros(y.Shape);
        var ys = y.Value.Span; var hs = hard.Span;
        for (int i = 0; i < hs.Length; i++) hs[i] = ys[i] > 0.5f ? 1f : 0f;
        var st = Ops.StraightThrough(y, hard);
        StraightThroughDraws.Remember(st, y);
        return st;
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <summary>
    /// The logits broadcast to <paramref name="batchShape"/>; the temperature is left as it is (it broadcasts against
    /// them wherever it is used), so a scalar temperature costs no batch-sized copy.
    /// </summary>
    public override Distribution Expand(int[] batchShape) =>
        new RelaxedBernoulli(Temperature, DistributionParams.Expand(Logits, batchShape), StraightThrough, Param.Logits);
}
