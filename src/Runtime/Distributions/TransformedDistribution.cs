using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The distribution of y = fₙ(…f₁(x)) for x from a base distribution: how constrained latents are given real-line
/// guides and how normalizing flows make a Gaussian flexible. By the change of variables,
/// log p(y) = log p_base(x₀) − Σᵢ log|det J_fᵢ(xᵢ₋₁)|, each inverse xᵢ₋₁ = fᵢ⁻¹(xᵢ) taken in turn.
/// Event shapes follow Pyro: base batch axes that a transform acts on jointly (a flow on [B, D] over a Normal with
/// batch shape [B, D]) become event axes, so LogProb sums over them.
/// <para>
/// A draw from <see cref="RSample"/> remembers the inputs and log-determinants of every layer (as Pyro's transform
/// cache does), so LogProb of that very draw (the same <see cref="Var"/>) needs no inverse and costs nothing
/// extra: the usual ELBO pattern of sampling a guide and scoring the sample. Only the latest draw is remembered.
/// </para>
/// </summary>
public sealed class TransformedDistribution : Distribution
{
    readonly Transform[] transforms;
    volatile Draw? last;

    sealed record Draw(Var Y, Var[] Inputs, Var[] LogDets);

    /// <summary>The base distribution pushed through <paramref name="transforms"/> (first applied first).</summary>
    public TransformedDistribution(Distribution baseDistribution, params IEnumerable<Transform> transforms)
    {
        Base = baseDistribution;
        this.transforms = transforms.ToArray();
        int baseEvent = baseDistribution.EventShape.Length;
        int[] shape = baseDistribution.Shape;
        int eventDim = baseEvent;
        if (this.transforms.Length > 0)
        {
            var (domain, codomain) = ComposeTransform.EventDims(this.transforms);
            if (shape.Length < domain)
                throw new ShapeException($"the transforms act on events of rank {domain}, but the base distribution's draws have shape {Shapes.Format(shape)}");
            foreach (var t in this.transforms) shape = t.ForwardShape(shape);
            eventDim = codomain + Math.Max(baseEvent - domain, 0);
        }
        BatchShape = shape[..^eventDim];
        EventShape = shape[^eventDim..];
    }

    /// <summary>The distribution of x.</summary>
    public Distribution Base { get; }
    /// <summary>The transforms, first applied first.</summary>
    public IReadOnlyList<Transform> Transforms => transforms;

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override int[] EventShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => transforms.Length > 0 ? transforms[^1].Codomain : Base.Support;
    /// <inheritdoc/>
    public override bool HasRSample => Base.HasRSample;

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var x = Base.RSample(rng, sampleShape);
        var inputs = new Var[transforms.Length];
        var logDets = new Var[transforms.Length];
        for (int i = 0; i < transforms.Length; i++)
        {
            inputs[i] = x;
            (x, logDets[i]) = transforms[i].ForwardWithLogDet(x);
        }
        last = new Draw(x, inputs, logDets);
        return x;
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null)
    {
        Var x = Var.Const(Base.Sample(rng, sampleShape));
        foreach (var t in transforms) x = t.Forward(x);
        return Ops.Detach(x).Value;
    }

    /// <summary>
    /// log p(y) = log p_base(x₀) − Σᵢ log|det J_fᵢ|, one value per batch element. Inverts the transforms unless
    /// <paramref name="value"/> is the latest <see cref="RSample"/> draw.
    /// </summary>
    public override Var LogProb(Var value)
    {
        var cached = last;
        bool hit = cached is not null && ReferenceEquals(cached.Y, value);
        int eventDim = EventShape.Length;
        Var y = value;
        Var? logDet = null;
        for (int i = transforms.Length - 1; i >= 0; i--)
        {
            var t = transforms[i];
            var x = hit ? cached!.Inputs[i] : t.Inverse(y);
            eventDim += t.EventDim - t.CodomainEventDim;
            var ld = EventSum.Rightmost(hit ? cached!.LogDets[i] : t.LogAbsDetJacobian(x, y), eventDim - t.EventDim);
            logDet = logDet is null ? ld : logDet + ld;
            y = x;
        }
        var lp = EventSum.Rightmost(Base.LogProb(y), eventDim - Base.EventShape.Length);
        return logDet is null ? lp : lp - logDet;
    }

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape)
    {
        int[] shape = [.. batchShape, .. EventShape];
        for (int i = transforms.Length - 1; i >= 0; i--) shape = transforms[i].InverseShape(shape);
        return new TransformedDistribution(Base.Expand(shape[..^Base.EventShape.Length]), transforms);
    }
}
