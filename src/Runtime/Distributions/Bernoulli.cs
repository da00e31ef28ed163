using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Bernoulli(probs | logits): p(1) = p, p(0) = 1 − p, with p = σ(logits) when given by logits. Values are 0/1 stored
/// as floats; <see cref="LogProb"/> also accepts any x in [0, 1] as the cross-entropy
/// x·log p + (1 − x)·log(1 − p), so grey-scale data can be modelled as is (docs/language.md §1.7). Given by logits the density
/// is computed as x·log σ(l) + (1 − x)·log σ(−l) (vectorized, <see cref="Ops.BernoulliLogMass"/>, when value and logits
/// have one shape, as a VAE's pixels do), which keeps its relative accuracy for |l| in the hundreds; given
/// by probs as x·log p + (1 − x)·log1p(−p) with 0·log 0 = 0, so p = 0 or 1 is exact (no clamping, unlike PyTorch).
/// </summary>
public sealed class Bernoulli : Distribution
{
    readonly Var? probs, logits;

    /// <summary>Bernoulli with success probability <paramref name="probs"/> (the language's positional form, docs/language.md §1.7).</summary>
    public Bernoulli(Var probs) : this(probs, null) { }

    Bernoulli(Var? probs, Var? logits)
    {
        this.probs = probs;
        this.logits = logits;
        BatchShape = (probs ?? logits)!.Shape;
    }

    /// <summary>Bernoulli with success probability p.</summary>
    public static Bernoulli FromProbs(Var probs) => new(probs, null);

    /// <summary>Bernoulli with log-odds l: p = σ(l).</summary>
    public static Bernoulli FromLogits(Var logits) => new(null, logits);

    /// <summary>Whether the distribution was given by logits (then <see cref="Logits"/> is the parameter itself).</summary>
    public bool IsLogitParameterized => logits is not null;

    /// <summary>The success probability (σ(logits) when given by logits).</summary>
    public Var Probs => probs ?? Ops.Sigmoid(logits!);

    /// <summary>The log-odds (logit(probs) when given by probs; ±∞ at p = 1 or 0).</summary>
    public Var Logits => logits ?? Ops.Logit(probs!);

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Boolean;

    /// <summary>
    /// log p(x) = x·log σ(l) + (1 − x)·log σ(−l) (logits) or x·log p + (1 − x)·log1p(−p) (probs), for x in [0, 1].
    /// </summary>
    public override Var LogProb(Var value) => logits is not null
        ? Shapes.Equal(value.Shape, logits.Shape) ? Ops.BernoulliLogMass(value, logits) : Ops.Elementwise<LogitsMass>(value, logits)
        : Ops.Elementwise<ProbsMass>(value, probs!);

    /// <summary>A 0/1 draw per element: 1 when a uniform u &lt; p.</summary>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null)
    {
        var p = (probs ?? logits)!.Value;
        if (logits is not null)
        {
            var sig = Tensor.Zeros(p.Shape);
            Kernels.Sigmoid(p.Span, sig.Span);
            p = sig;
        }
        var x = Tensor.Zeros(ExtendedShape(sampleShape));
        rng.FillUniform(x.Span);
        BinaryKernels.Apply<Below>(x, p, x);
        return x;
    }

    /// <summary>d = [a &lt; b] as 0/1.</summary>
    readonly struct Below : IBinaryKernel
    {
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d)
        {
            for (int i = 0; i < d.Length; i++) d[i] = a[i] < b[i] ? 1f : 0f;
        }
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d)
        {
            for (int i = 0; i < d.Length; i++) d[i] = a[i] < b ? 1f : 0f;
        }
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d)
        {
            for (int i = 0; i < d.Length; i++) d[i] = a < b[i] ? 1f : 0f;
        }
    }

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) => logits is not null
        ? FromLogits(DistributionParams.Expand(logits, batchShape))
        : FromProbs(DistributionParams.Expand(probs!, batchShape));

    /// <summary>E[x] = p.</summary>
    public override Var Mean => Probs;

    /// <summary>Var[x] = p(1 − p) (σ(l)·σ(−l) from logits, accurate in both tails).</summary>
    public override Var Variance => logits is not null
        ? Ops.Sigmoid(logits) * Ops.Sigmoid(-logits)
        : probs! * (1f - probs!);

    /// <summary>H = −p·log p − (1 − p)·log(1 − p) (from logits: −σ(l)·log σ(l) − σ(−l)·log σ(−l)).</summary>
    public override Var Entropy() => logits is not null
        ? Ops.Elementwise<LogitsEntropy>(logits)
        : Ops.Elementwise<ProbsEntropy>(probs!);

    /// <inheritdoc/>
    public override bool HasEnumerateSupport => true;

    /// <summary>[0, 1] on a leading axis: shape [2] ++ BatchShape.</summary>
    public override Tensor EnumerateSupport() => DistributionParams.EnumerateValues(2, BatchShape);

    /// <summary>f(x, l) = x·log σ(l) + (1 − x)·log σ(−l); ∂x = l, ∂l = x − σ(l).</summary>
    readonly struct LogitsMass : IScalarFunction2
    {
        public static double Value(double x, double l) =>
            DensityMath.XTimes(x, DensityMath.LogSigmoid(l)) + DensityMath.XTimes(1 - x, DensityMath.LogSigmoid(-l));
        public static (double Da, double Db) Gradient(double x, double l) => (l, x - DensityMath.Sigmoid(l));
    }

    /// <summary>f(x, p) = x·log p + (1 − x)·log1p(−p); ∂x = log p − log1p(−p), ∂p = x/p − (1 − x)/(1 − p).</summary>
    readonly struct ProbsMass : IScalarFunction2
    {
        public static double Value(double x, double p) => DensityMath.XLogY(x, p) + DensityMath.XLog1pY(1 - x, -p);
        public static (double Da, double Db) Gradient(double x, double p) =>
            (Math.Log(p) - DensityMath.Log1p(-p), DensityMath.XOverY(x, p) - DensityMath.XOverY(1 - x, 1 - p));
    }

    /// <summary>H(l) = −σ(l)·log σ(l) − σ(−l)·log σ(−l); H′(l) = −l·σ(l)·σ(−l).</summary>
    readonly struct LogitsEntropy : IScalarFunction1
    {
        public static double Value(double l)
        {
            double p = DensityMath.Sigmoid(l), q = DensityMath.Sigmoid(-l);
            return -DensityMath.XTimes(p, DensityMath.LogSigmoid(l)) - DensityMath.XTimes(q, DensityMath.LogSigmoid(-l));
        }
        public static double Derivative(double l) => -l * DensityMath.Sigmoid(l) * DensityMath.Sigmoid(-l);
    }

    /// <summary>H(p) = −p·log p − (1 − p)·log1p(−p); H′(p) = log1p(−p) − log p.</summary>
    readonly struct ProbsEntropy : IScalarFunction1
    {
        public static double Value(double p) => -DensityMath.XLogY(p, p) - DensityMath.XLog1pY(1 - p, -p);
        public static double Derivative(double p) => DensityMath.Log1p(-p) - Math.Log(p);
    }
}
