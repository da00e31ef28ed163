using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;

namespace Ppl.Runtime.Flows;

/// <summary>
/// Inverse autoregressive flow (Kingma et al. 2016, "Improved variational inference with inverse autoregressive
/// flow", eq. 11–14), in its numerically stable gated form: a <see cref="Made"/> reads x and outputs (mᵢ, sᵢ), each
/// depending only on the inputs before i in the layer's ordering; with σ = sigmoid(s + 2),
/// yᵢ = σᵢ·xᵢ + (1 − σᵢ)·mᵢ, and the Jacobian is triangular with diagonal σᵢ, so log|det ∂y/∂x| = Σᵢ log σᵢ.
/// The +2 bias is the paper's forget-gate initialization: each layer starts close to the identity (σ ≈ 0.88).
/// Sampling (forward) is one network pass for all D coordinates; the inverse is sequential: with the input
/// unknown, D passes xᵗ⁺¹ = m(xᵗ) + (y − m(xᵗ))/σ(xᵗ) make one more coordinate exact each time (the one whose
/// inputs are all exact), so <see cref="Inverse(Var, Var?)"/> costs D network evaluations.
/// Stack layers with alternating orderings (<see cref="Stack"/>) so every coordinate can depend on every other.
/// </summary>
public sealed class Iaf : Flow
{
    const float GateBias = 2f;
    readonly Made made;

    /// <summary>An IAF layer on ℝ^<paramref name="dim"/> whose MADE has hidden widths <paramref name="hidden"/>.</summary>
    public Iaf(int dim, IReadOnlyList<int> hidden, Rng rng, bool reverse = false, int contextDim = 0) : base(dim, contextDim)
    {
        made = new Made(dim, hidden, 2, rng, reverse, contextDim);
    }

    /// <summary>
    /// <paramref name="layers"/> IAF layers with one hidden layer of width <paramref name="hidden"/> each, orderings
    /// alternating between natural and reversed (the .ppl <c>Iaf(K, hidden: H)</c>).
    /// </summary>
    public static FlowSequence Stack(int dim, int layers, int hidden, Rng rng, int contextDim = 0) =>
        new(Enumerable.Range(0, layers).Select(l => (Flow)new Iaf(dim, [hidden], rng.Split(), reverse: l % 2 == 1, contextDim)));

    /// <summary>The autoregressive network.</summary>
    public Made Network => made;

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Var Parameter)> NamedParameters() =>
        made.NamedParameters().Select(p => ($"made.{p.Name}", p.Parameter));

    (Var M, Var S) Outputs(Var x, Var? context)
    {
        var o = made.Forward(x, context);
        return (Ops.Slice(o, -1, 0, Dim), Ops.Slice(o, -1, Dim, 2 * Dim) + GateBias);
    }

    /// <inheritdoc/>
    public override (Var Y, Var LogDet) ForwardWithLogDet(Var x, Var? context)
    {
        var (m, s) = Outputs(x, context);
        var y = m + Ops.Sigmoid(s) * (x - m);
        return (y, Ops.Sum(Ops.LogSigmoid(s), -1));
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y, Var? context)
    {
        var x = y;
        for (int pass = 0; pass < Dim; pass++)
        {
            var (m, s) = Outputs(x, context);
            x = m + (y - m) / Ops.Sigmoid(s);
        }
        return x;
    }
}
