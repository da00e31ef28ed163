using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// RelaxedOneHotCategorical(temperature, probs | logits), the Concrete / Gumbel-softmax distribution on the simplex
/// (Maddison, Mnih &amp; Teh 2017, "The Concrete distribution", ICLR, definition 1; Jang, Gu &amp; Poole 2017,
/// "Categorical reparameterization with Gumbel-softmax", ICLR): a continuous relaxation of a one-hot categorical
/// draw with log-probabilities l over K classes. Reparameterized as y = softmax((l + G)/λ) with G a vector of
/// independent standard Gumbels; its density with respect to Lebesgue measure on the first K − 1 coordinates is
/// p(y) = (K − 1)! λ^{K−1} Πₖ (αₖ yₖ^{−λ−1} / Σᵢ αᵢ yᵢ^{−λ}), αₖ = e^{lₖ}.
/// Draws are formed as exp(log softmax) and clamped below at the smallest normal float so their log density stays
/// finite at low temperature. With <see cref="StraightThrough"/> a draw is the one-hot vector of its largest entry in
/// the forward pass while gradients flow through the relaxed value (the "straight-through Gumbel-softmax" of Jang
/// et al. §2.2), and the log density of such a draw is that of the relaxed value it came from, whichever relaxed
/// distribution scores it — the guide's own or the model's prior (as in Pyro; the draw is recognised by the returned
/// <see cref="Var"/> itself, <see cref="StraightThroughDraws"/>, so a copy or reshape of it is scored as the one-hot
/// value). The language's <c>RelaxedOneHotCategoricalStraightThrough</c> builds it with <see cref="StraightThroughFromProbs"/>
/// and <see cref="StraightThroughFromLogits"/>.
/// </summary>
public sealed class RelaxedOneHotCategorical : Distribution
{
    /// <summary>Temperature λ &gt; 0, broadcasting against the batch shape.</summary>
    public Var Temperature { get; }
    /// <summary>Normalised logits l = log p, shape [..., K].</summary>
    public Var Logits { get; }
    /// <summary>Whether draws are one-hot with straight-through gradients.</summary>
    public bool StraightThrough { get; }

    /// <summary>The class probabilities softmax(l).</summary>
    public Var Probs => Ops.Exp(Logits);

    readonly int k;
    /// <summary>The temperature with a trailing unit axis, so it broadcasts against [..., K].</summary>
    readonly Var temperatureColumn;

    /// <summary>Smallest normal float: the floor of a relaxed draw's entries.</summary>
    const float Tiny = 1.17549435e-38f;

    /// <summary>From class probabilities (the language's positional <c>RelaxedOneHotCategorical(temperature, probs)</c>).</summary>
    public RelaxedOneHotCategorical(Var temperature, Var probs, bool straightThrough = false)
        : this(temperature, Ops.Log(Ops.Maximum(CheckEvent(probs), Tiny)), straightThrough, Param.Logits) { }

    enum Param { Logits }

    RelaxedOneHotCategorical(Var temperature, Var logits, bool straightThrough, Param _)
    {
        CheckEvent(logits);
        Temperature = temperature;
        Logits = Ops.LogSoftmax(logits, -1);
        StraightThrough = straightThrough;
        k = logits.Shape[^1];
        BatchShape = Shapes.Broadcast(temperature.Shape, logits.Shape.AsSpan(0, logits.Rank - 1));
        EventShape = [k];
        temperatureColumn = temperature.Rank == 0 ? temperature : Ops.Reshape(temperature, [.. temperature.Shape, 1]);
    }

    static Var CheckEvent(Var v) => v.Rank >= 1 ? v :
        throw new ShapeException("RelaxedOneHotCategorical needs probabilities or logits with a class axis, got a scalar");

    /// <summary>From unnormalised logits (normalised by log-softmax).</summary>
    public static RelaxedOneHotCategorical FromLogits(Var temperature, Var logits, bool straightThrough = false) =>
        new(temperature, logits, straightThrough, Param.Logits);

    /// <summary>From probabilities (normalised by the same log-softmax, so they need only be proportional).</summary>
    public static RelaxedOneHotCategorical FromProbs(Var temperature, Var probs, bool straightThrough = false) =>
        new(temperature, probs, straightThrough);

    /// <summary>The straight-through variant from unnormalised logits (the language's <c>RelaxedOneHotCategoricalStraightThrough(temperature, logits: ...)</c>).</summary>
    public static RelaxedOneHotCategorical StraightThroughFromLogits(Var temperature, Var logits) => FromLogits(temperature, logits, straightThrough: true);

    /// <summary>The straight-through variant from probabilities (the language's <c>RelaxedOneHotCategoricalStraightThrough(temperature, probs)</c>).</summary>
    public static RelaxedOneHotCategorical StraightThroughFromProbs(Var temperature, Var probs) => FromProbs(temperature, probs, straightThrough: true);

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override int[] EventShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Simplex;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>
    /// log p(y) = log Γ(K) + (K − 1) log λ + Σₖ (lₖ − (λ + 1) log yₖ) − K·logsumexpₖ(lₖ − λ log yₖ), the log of
    /// Maddison et al.'s density with the normaliser of the α's divided out by the log-sum-exp (shift invariant in l).
    /// </summary>
    public override Var LogProb(Var value)
    {
        value = StraightThroughDraws.Unquantize(value);
        var logY = Ops.Log(value);
        var score = Logits - temperatureColumn * logY;
        var sum = Ops.Sum(score - logY, -1);
        var lse = Ops.LogSumExp(score, -1);
        var logNorm = Ops.Mul(Ops.Log(Temperature), k - 1f) + (float)MathNet.Numerics.SpecialFunctions.GammaLn(k);
        return sum - Ops.Mul(lse, (float)k) + logNorm;
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var g = DistributionParams.Noise(Logits.Tape is null ? Temperature : Logits, ExtendedShape(sampleShape), s => Gumbel.StandardDraws(rng, s));
        var y = Ops.Maximum(Ops.Exp(Ops.LogSoftmax((Logits + g) / temperatureColumn, -1)), Tiny);
        if (!StraightThrough) return y;
        var hard = y.Tape is { } tape ? tape.Alloc(y.Shape, clear: true) : Tensor.Zeros(y.Shape);
        var ys = y.Value.Span; var hs = hard.Span;
        for (int b = 0; b < hs.Length; b += k)
        {
            int best = 0;
            for (int j = 1; j < k; j++) if (ys[b + j] > ys[b + best]) best = j;
            hs[b + best] = 1f;
        }
        var st = Ops.StraightThrough(y, hard);
        StraightThroughDraws.Remember(st, y);
        return st;
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <summary>
    /// The logits broadcast to <paramref name="batchShape"/> ++ [K]; the temperature is left as it is (it broadcasts
    /// against them wherever it is used), so a scalar temperature costs no batch-sized copy.
    /// </summary>
    public override Distribution Expand(int[] batchShape) =>
        new RelaxedOneHotCategorical(Temperature, Ops.BroadcastTo(Logits, [.. batchShape, k]), StraightThrough, Param.Logits);
}
