using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Flows;

/// <summary>A conditional flow with its context bound (from <see cref="Flow.Condition"/>): an ordinary transform.</summary>
public sealed class ConditionedFlow : Transforms.Transform
{
    internal ConditionedFlow(Flow flow, Var context)
    {
        Flow = flow;
        Context = context;
    }

    /// <summary>The flow.</summary>
    public Flow Flow { get; }
    /// <summary>The bound context, [C] or [..., C] matching the batch of the inputs.</summary>
    public Var Context { get; }

    /// <inheritdoc/>
    public override Constraint Domain => Flow.Domain;
    /// <inheritdoc/>
    public override Constraint Codomain => Flow.Codomain;
    /// <inheritdoc/>
    public override int EventDim => 1;
    /// <inheritdoc/>
    public override Var Forward(Var x) => Flow.Forward(Flow.CheckInput(x), Context);
    /// <inheritdoc/>
    public override Var Inverse(Var y) => Flow.Inverse(Flow.CheckInput(y), Context);
    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => Flow.LogAbsDetJacobian(Flow.CheckInput(x), y, Context);
    /// <inheritdoc/>
    public override (Var Y, Var LogDet) ForwardWithLogDet(Var x) => Flow.ForwardWithLogDet(Flow.CheckInput(x), Context);
}
