using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Params;

/// <summary>
/// Anything with learnable weights that the <see cref="ParamStore"/> registers and optimizes: nets
/// (<see cref="Nn.Module"/>) and normalizing flows, which are transforms and so cannot share a base class with nets.
/// </summary>
public interface IParameterized
{
    /// <summary>Every weight with a name unique within the object (e.g. <c>layers.0.weight</c>), in a fixed order.</summary>
    IEnumerable<(string Name, Var Parameter)> NamedParameters();
}
