using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Nn;

/// <summary>The hidden-layer nonlinearities of an <see cref="Mlp"/> (the .ppl <c>activation:</c> option).</summary>
public enum Activation
{
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>log(1 + eˣ).</summary>
    Softplus,
    /// <summary>x for x &gt; 0, eˣ − 1 otherwise (Clevert et al. 2016).</summary>
    Elu,
}

/// <summary>Applying, naming and initializing for an <see cref="Activation"/>.</summary>
public static class Activations
{
    /// <summary>The activation applied elementwise.</summary>
    public static Var Apply(this Activation a, Var x) => a switch
    {
        Activation.Relu => Ops.Relu(x),
        Activation.Tanh => Ops.Tanh(x),
        Activation.Softplus => Ops.Softplus(x),
        Activation.Elu => Ops.Elu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, "unknown activation"),
    };

    /// <summary>The initialization suited to layers feeding this activation: Kaiming for the rectifiers, Xavier otherwise.</summary>
    public static InitScheme DefaultInit(this Activation a) => a is Activation.Relu or Activation.Elu ? InitScheme.Kaiming : InitScheme.Xavier;

    /// <summary>The activation of a .ppl name (<c>relu</c>, <c>tanh</c>, <c>softplus</c>, <c>elu</c>), or null.</summary>
    public static Activation? Parse(string name) => name switch
    {
        "relu" => Activation.Relu,
        "tanh" => Activation.Tanh,
        "softplus" => Activation.Softplus,
        "elu" => Activation.Elu,
        _ => null,
    };

    /// <summary>The .ppl name.</summary>
    public static string Name(this Activation a) => a.ToString().ToLowerInvariant();
}
