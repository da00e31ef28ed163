using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// y = loc + scale·x (elementwise, broadcasting); log|det J| = Σ log|scale| over the event. loc and scale may be
/// parameters, which makes this the learnable location–scale layer under a flow.
/// </summary>
public sealed class AffineTransform : Transform
{
    readonly int eventDim;

    /// <summary>y = <paramref name="loc"/> + <paramref name="scale"/>·x, treating the <paramref name="eventDim"/>
    /// rightmost axes as one event (their log-scales are summed).</summary>
    public AffineTransform(Var loc, Var scale, int eventDim = 0)
    {
        Loc = loc;
        Scale = scale;
        this.eventDim = eventDim;
    }

    /// <summary>The shift.</summary>
    public Var Loc { get; }
    /// <summary>The factor (nonzero).</summary>
    public Var Scale { get; }

    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.Real;
    /// <inheritdoc/>
    public override int EventDim => eventDim;
    /// <inheritdoc/>
    public override Var Forward(Var x) => Loc + Scale * x;
    /// <inheritdoc/>
    public override Var Inverse(Var y) => (y - Loc) / Scale;

    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y)
    {
        var shape = Shapes.Broadcast(Shapes.Broadcast(x.Shape, Loc.Shape), Scale.Shape);
        return EventSum.Rightmost(Ops.BroadcastTo(Ops.Log(Ops.Abs(Scale)), shape), eventDim);
    }
}
