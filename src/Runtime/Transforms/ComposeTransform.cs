using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// f = fₙ ∘ … ∘ f₁ (parts applied first to last); log|det J_f| = Σᵢ log|det J_fᵢ| at each part's input, each
/// summed down to the composition's batch shape, so elementwise and vector parts mix (exp after stick-breaking,
/// an affine layer before a flow). Event dimensions follow Pyro's ComposeTransform: walking back from the last part,
/// the event rank grows by what each part consumes and is at least each part's own.
/// </summary>
public sealed class ComposeTransform : Transform
{
    readonly Transform[] parts;

    /// <summary>The composition of <paramref name="parts"/>, applied in order.</summary>
    public ComposeTransform(params IEnumerable<Transform> parts)
    {
        this.parts = parts.ToArray();
        if (this.parts.Length == 0) throw new ArgumentException("a composition needs at least one transform");
        (EventDim, CodomainEventDim) = EventDims(this.parts);
    }

    /// <summary>The parts, first applied first.</summary>
    public IReadOnlyList<Transform> Parts => parts;

    /// <inheritdoc/>
    public override Constraint Domain => parts[0].Domain;
    /// <inheritdoc/>
    public override Constraint Codomain => parts[^1].Codomain;
    /// <inheritdoc/>
    public override int EventDim { get; }
    /// <inheritdoc/>
    public override int CodomainEventDim { get; }

    /// <inheritdoc/>
    public override Var Forward(Var x)
    {
        foreach (var p in parts) x = p.Forward(x);
        return x;
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y)
    {
        for (int i = parts.Length - 1; i >= 0; i--) y = parts[i].Inverse(y);
        return y;
    }

    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => ForwardWithLogDet(x).LogDet;

    /// <inheritdoc/>
    public override (Var Y, Var LogDet) ForwardWithLogDet(Var x)
    {
        int batchRank = x.Rank - EventDim;
        Var? total = null;
        foreach (var p in parts)
        {
            var (y, ld) = p.ForwardWithLogDet(x);
            ld = EventSum.Rightmost(ld, ld.Rank - batchRank);
            total = total is null ? ld : total + ld;
            x = y;
        }
        return (x, total!);
    }

    /// <inheritdoc/>
    public override int[] ForwardShape(int[] xShape)
    {
        foreach (var p in parts) xShape = p.ForwardShape(xShape);
        return xShape;
    }

    /// <inheritdoc/>
    public override int[] InverseShape(int[] yShape)
    {
        for (int i = parts.Length - 1; i >= 0; i--) yShape = parts[i].InverseShape(yShape);
        return yShape;
    }

    /// <summary>The (domain, codomain) event ranks of a chain, as Pyro's ComposeTransform computes them.</summary>
    internal static (int Domain, int Codomain) EventDims(IReadOnlyList<Transform> parts)
    {
        int domain = parts[^1].CodomainEventDim;
        for (int i = parts.Count - 1; i >= 0; i--)
            domain = Math.Max(domain + parts[i].EventDim - parts[i].CodomainEventDim, parts[i].EventDim);
        int codomain = parts[0].EventDim;
        foreach (var p in parts)
            codomain = Math.Max(codomain + p.CodomainEventDim - p.EventDim, p.CodomainEventDim);
        return (domain, codomain);
    }
}
