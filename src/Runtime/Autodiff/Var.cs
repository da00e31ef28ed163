using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

/// <summary>
/// A value in a differentiable computation: a <see cref="Tensor"/> plus, when it depends on a parameter, its node
/// on a <see cref="Autodiff.Tape"/>. Constants carry no node; parameters are leaves whose gradient persists across
/// steps (the optimizer reads and zeroes it). Operators broadcast like NumPy.
/// </summary>
public sealed class Var
{
    /// <summary>The forward value.</summary>
    public Tensor Value { get; private set; }

    /// <summary>
    /// The adjoint ∂loss/∂this after <see cref="Tape.Backward"/>; persistent for parameters, pooled (valid until the
    /// tape is reset) for intermediate values, null where nothing flowed back.
    /// </summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>Whether gradients flow to this value (it is a parameter or computed from one).</summary>
    public bool RequiresGrad { get; private set; }

    /// <summary>Whether this is a parameter leaf (its gradient is kept, not pooled).</summary>
    public bool IsParameter { get; }

    /// <summary>The tape this value was recorded on, or the one a parameter is attached to this step.</summary>
    public Tape? Tape { get; internal set; }

    /// <summary>Optional name (parameters, diagnostics).</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The non-reparameterized sample sites this value was computed from (null: none). Ops propagate it from their
    /// inputs; an ELBO reads it on log-density terms to find each score-function site's downstream cost.
    /// </summary>
    public SiteSet? Provenance { get; internal set; }

    /// <summary>
    /// For a parameter leaf: its <see cref="Grad"/> buffer still holds an earlier step's values and counts as zero; the
    /// first contribution of this step overwrites it instead of adding (see <see cref="Params.ParamStore.MarkGradientsStale"/>),
    /// which spares a pass that zeroes the buffer.
    /// </summary>
    internal bool GradStale;

    /// <summary>Backward rule: reads this node's <see cref="Grad"/> and accumulates into its inputs.</summary>
    internal Action<Var>? BackwardFn;

    /// <summary>
    /// The inputs and extra state an op's backward rule reads (<see cref="Ops"/>): kept on the node so the rule can
    /// be a static lambda instead of a closure allocated per op.
    /// </summary>
    internal Var? In0, In1, In2;
    internal object? Extra;
    internal float K;

    internal Var(Tensor value, bool requiresGrad, bool isParameter, Tape? tape)
    {
        Value = value;
        RequiresGrad = requiresGrad;
        IsParameter = isParameter;
        Tape = tape;
        if (isParameter) Grad = Tensor.Zeros(value.Shape);
    }

    /// <summary>Makes a node or constant recycled by its tape (see <see cref="Tape.Reset"/>) a fresh one.</summary>
    internal void Reuse(Tensor value, bool requiresGrad)
    {
        Value = value;
        RequiresGrad = requiresGrad;
    }

    /// <summary>
    /// Makes this parameter leaf read <paramref name="other"/>'s value tensor (the same storage, not a copy) while keeping
    /// its own gradient: how a lane of a split minibatch (<see cref="Params.ParamStore.NewLane"/>) shares the weights.
    /// </summary>
    internal void ShareValueOf(Var other)
    {
        if (!IsParameter || !other.IsParameter) throw new InvalidOperationException("only parameter leaves share a value");
        if (!Shapes.Equal(Value.Shape, other.Value.Shape))
            throw new ShapeException($"parameter '{Name}' has shape {Shapes.Format(Value.Shape)}, the one it shares has {Shapes.Format(other.Value.Shape)}");
        Value = other.Value;
    }

    /// <summary>Drops what a recycled node refers to, so the tape's spare nodes keep nothing alive.</summary>
    internal void Clear()
    {
        Grad = null;
        BackwardFn = null;
        In0 = In1 = In2 = null;
        Extra = null;
        Provenance = null;
    }

    /// <summary>A constant (no gradient).</summary>
    public static Var Const(Tensor value) => new(value, false, false, null);

    /// <summary>A scalar constant.</summary>
    public static Var Const(float value) => new(Tensor.Scalar(value), false, false, null);

    /// <summary>A learnable leaf. Attach it to a step's tape with <see cref="Tape.Attach"/> before using it.</summary>
    public static Var Parameter(Tensor value, string? name = null) => new(value, true, true, null) { Name = name };

    /// <summary>Dimensions of the value.</summary>
    public int[] Shape => Value.Shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Value.Rank;

    /// <summary>Number of elements.</summary>
    public int Size => Value.Size;

    /// <summary>The single value of a one-element Var.</summary>
    public float ToScalar() => Value.ToScalar();

    /// <summary>A scalar constant.</summary>
    public static implicit operator Var(float v) => Const(v);
    /// <summary>A scalar constant.</summary>
    public static implicit operator Var(double v) => Const((float)v);
    /// <summary>A constant tensor.</summary>
    public static implicit operator Var(Tensor t) => Const(t);

    /// <summary>Elementwise sum.</summary>
    public static Var operator +(Var a, Var b) => Ops.Add(a, b);
    /// <summary>Elementwise difference.</summary>
    public static Var operator -(Var a, Var b) => Ops.Sub(a, b);
    /// <summary>Elementwise product.</summary>
    public static Var operator *(Var a, Var b) => Ops.Mul(a, b);
    /// <summary>Elementwise quotient.</summary>
    public static Var operator /(Var a, Var b) => Ops.Div(a, b);
    /// <summary>Negation.</summary>
    public static Var operator -(Var a) => Ops.Neg(a);

    /// <inheritdoc/>
    public override string ToString() => (Name is null ? "Var" : $"Var {Name}") + (RequiresGrad ? " (grad) " : " ") + Value;
}
