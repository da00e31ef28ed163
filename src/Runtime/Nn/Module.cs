using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Nn;

/// <summary>
/// A differentiable function with learnable weights (a <c>net</c> in .ppl). Its weights are parameter leaves that
/// the <see cref="Sites.ParamStore"/> registers under the net's name and attaches to each step's tape.
/// </summary>
public abstract class Module
{
    /// <summary>Every weight with a name unique within the module (e.g. <c>layers.0.weight</c>).</summary>
    public abstract IEnumerable<(string Name, Var Parameter)> NamedParameters();

    /// <summary>Applies the module.</summary>
    public abstract Var Forward(Var input);
}
