using Ppl.Runtime.Params;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Runtime.Flows;

/// <summary>
/// A normalizing flow layer: a bijection ℝᴰ → ℝᴰ with learnable parameters, acting on the last axis of a batch
/// [..., D] (event dimension 1). Stack layers with <see cref="FlowSequence"/> and push a base distribution through
/// them with <see cref="Distributions.TransformedDistribution"/>.
/// A flow built with a context size C &gt; 0 is conditional (amortized): each of its parameters θ is shifted by a
/// learned linear map of a context vector c ∈ ℝᶜ, θ(c) = θ + c·W_θ (per batch row when c is [..., C]); bind a
/// context with <see cref="Condition"/>. The context maps start at zero, so a new conditional flow is its
/// unconditional self.
/// </summary>
public abstract class Flow : Transform, IParameterized
{
    /// <summary>A flow on ℝ^<paramref name="dim"/>, conditioned on contexts of size <paramref name="contextDim"/> (0: none).</summary>
    protected Flow(int dim, int contextDim)
    {
        if (dim <= 0) throw new ArgumentException($"a flow needs a positive dimension, got {dim}");
        if (contextDim < 0) throw new ArgumentException($"a context size cannot be negative, got {contextDim}");
        Dim = dim;
        ContextDim = contextDim;
    }

    /// <summary>D, the size of the vectors the flow acts on.</summary>
    public int Dim { get; }

    /// <summary>The context size C (0 for an unconditional flow).</summary>
    public int ContextDim { get; }

    /// <summary>Whether the flow needs a context (<see cref="Condition"/>).</summary>
    public bool IsConditional => ContextDim > 0;

    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.Real;
    /// <inheritdoc/>
    public override int EventDim => 1;

    /// <inheritdoc/>
    public abstract IEnumerable<(string Name, Var Parameter)> NamedParameters();

    /// <summary>This flow with its context fixed: a plain transform (for a transformed distribution).</summary>
    public Transform Condition(Var context) => new ConditionedFlow(this, CheckContext(context));

    /// <summary>y = f(x; c) and log|det ∂y/∂x|, one value per row.</summary>
    public abstract (Var Y, Var LogDet) ForwardWithLogDet(Var x, Var? context);

    /// <summary>x = f⁻¹(y; c).</summary>
    public abstract Var Inverse(Var y, Var? context);

    /// <summary>y = f(x; c).</summary>
    public virtual Var Forward(Var x, Var? context) => ForwardWithLogDet(x, context).Y;

    /// <summary>log|det ∂y/∂x| at x (y is not needed: the flows recompute what they share with the forward pass).</summary>
    public virtual Var LogAbsDetJacobian(Var x, Var y, Var? context) => ForwardWithLogDet(x, context).LogDet;

    /// <inheritdoc/>
    public sealed override Var Forward(Var x) => Forward(CheckInput(x), NoContext());
    /// <inheritdoc/>
    public sealed override Var Inverse(Var y) => Inverse(CheckInput(y), NoContext());
    /// <inheritdoc/>
    public sealed override Var LogAbsDetJacobian(Var x, Var y) => LogAbsDetJacobian(CheckInput(x), y, NoContext());
    /// <inheritdoc/>
    public sealed override (Var Y, Var LogDet) ForwardWithLogDet(Var x) => ForwardWithLogDet(CheckInput(x), NoContext());

    /// <summary>A parameter shifted by the linear map of the context: θ + c·W ([..., n] for c of shape [..., C]).</summary>
    protected static Var Shift(Var theta, Var? contextWeight, Var? context) =>
        context is null || contextWeight is null ? Module.Read(theta) : Module.Read(theta) + Ops.MatMul(context, Module.Read(contextWeight));

    /// <summary>A zero [C, n] context weight, or null for an unconditional flow.</summary>
    protected Var? ContextWeight(int n, string name) => IsConditional ? Var.Parameter(Tensor.Zeros(ContextDim, n), name) : null;

    /// <summary>A vector of n values drawn U(−a, a): the parameter initialization of the planar and radial layers.</summary>
    protected static Tensor UniformTensor(Random.Rng rng, float a, int n)
    {
        var t = Tensor.Zeros(n);
        rng.FillUniform(t.Span, -a, a);
        return t;
    }

    /// <summary>Drops the kept last axis of a per-row value [..., 1] → [...].</summary>
    protected static Var DropLast(Var v) => Ops.Reshape(v, v.Shape[..^1]);

    Var? NoContext() => IsConditional
        ? throw new InvalidOperationException($"{GetType().Name} is conditioned on a context of size {ContextDim}: bind one with Condition(context)")
        : null;

    /// <summary>Checks that x is [..., D].</summary>
    protected internal Var CheckInput(Var x)
    {
        if (x.Rank == 0 || x.Shape[^1] != Dim)
            throw new ShapeException($"{GetType().Name} acts on vectors of size {Dim}, got shape {Shapes.Format(x.Shape)}");
        return x;
    }

    Var CheckContext(Var context)
    {
        if (!IsConditional) throw new InvalidOperationException($"{GetType().Name} was built without a context");
        if (context.Rank == 0 || context.Shape[^1] != ContextDim)
            throw new ShapeException($"{GetType().Name} expects contexts of size {ContextDim}, got shape {Shapes.Format(context.Shape)}");
        return context;
    }
}
