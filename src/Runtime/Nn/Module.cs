using Ppl.Runtime.Params;
using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Nn;

/// <summary>
/// A differentiable function with learnable weights (a <c>net</c> in .ppl). Its weights are parameter leaves that
/// the <see cref="ParamStore"/> registers under the net's name and attaches to each step's tape.
/// </summary>
public abstract class Module : IParameterized
{
    /// <summary>Every weight with a name unique within the module (e.g. <c>layers.0.weight</c>).</summary>
    public abstract IEnumerable<(string Name, Var Parameter)> NamedParameters();

    /// <summary>Applies the module.</summary>
    public abstract Var Forward(Var input);

    /// <summary>
    /// A weight as an operand: the leaf itself when it is attached to a tape (training), otherwise a constant view of
    /// its value, so a fitted net or flow can be evaluated with no tape at all (posterior sampling, prediction).
    /// </summary>
    public static Var Read(Var weight) => weight.IsParameter && weight.Tape is null ? Var.Const(weight.Value) : weight;
}
