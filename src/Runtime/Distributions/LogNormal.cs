using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// LogNormal(loc, scale): log x ~ Normal(μ, σ), so p(x) = exp(−(log x − μ)²/(2σ²)) / (xσ√(2π)) for x &gt; 0
/// (Johnson, Kotz &amp; Balakrishnan, "Continuous Univariate Distributions" vol. 1, ch. 14). Reparameterized as
/// x = exp(μ + σ·ε), ε ~ N(0, 1).
/// </summary>
public sealed class LogNormal : Distribution
{
    /// <summary>Mean μ of log x.</summary>
    public Var Loc { get; }
    /// <summary>Standard deviation σ &gt; 0 of log x.</summary>
    public Var Scale { get; }

    /// <summary>LogNormal whose logarithm has mean <paramref name="loc"/> and standard deviation <paramref name="scale"/>.</summary>
    public LogNormal(Var loc, Var scale)
    {
        Loc = loc;
        Scale = scale;
        BatchShape = DistributionParams.BatchShape(loc, scale);
    }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Positive;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>log p(x) = −½((log x − μ)/σ)² − log σ − ½ log 2π − log x for x &gt; 0, −∞ otherwise.</summary>
    public override Var LogProb(Var value)
    {
        var logX = Ops.Log(value);
        var z = (logX - Loc) / Scale;
        var lp = Ops.Mul(Ops.Square(z), -0.5f) - Ops.Log(Scale) - DistributionParams.HalfLog2Pi - logX;
        return Ops.Where(Ops.Compare(value, 0f, static (x, lo) => x > lo).Value, lp, float.NegativeInfinity);
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var eps = DistributionParams.Noise(Loc.Tape is null ? Scale : Loc, ExtendedShape(sampleShape), rng.FillNormal);
        return Ops.Exp(Loc + Scale * eps);
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new LogNormal(DistributionParams.Expand(Loc, batchShape), DistributionParams.Expand(Scale, batchShape));

    /// <summary>E[x] = exp(μ + σ²/2).</summary>
    public override Var Mean => Ops.BroadcastTo(Ops.Exp(Loc + Ops.Mul(Ops.Square(Scale), 0.5f)), BatchShape);

    /// <summary>Var[x] = (exp(σ²) − 1)·exp(2μ + σ²), with expm1 for accuracy at small σ.</summary>
    public override Var Variance
    {
        get
        {
            var s2 = Ops.Square(Scale);
            return Ops.BroadcastTo(Ops.Expm1(s2) * Ops.Exp(Ops.Mul(Loc, 2f) + s2), BatchShape);
        }
    }

    /// <summary>H = μ + ½ + ½ log 2π + log σ.</summary>
    public override Var Entropy() =>
        Ops.BroadcastTo(Loc + Ops.Log(Scale) + (0.5f + DistributionParams.HalfLog2Pi), BatchShape);
}
