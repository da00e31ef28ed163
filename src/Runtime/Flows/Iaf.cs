using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Flows;

/// <summary>
/// Inverse autoregressive flow (Kingma et al. 2016, "Improved variational inference with inverse autoregressive
/// flow", eq. 11–14), in its numerically stable gated form: a <see cref="Made"/> reads x and outputs (mᵢ, sᵢ), each
/// depending only on the inputs before i in the layer's ordering; with σ = sigmoid(s + 2),
/// yᵢ = σᵢ·xᵢ + (1 − σᵢ)·mᵢ, and the Jacobian is triangular with diagonal σᵢ, so log|det ∂y/∂x| = Σᵢ log σᵢ.
/// The +2 bias is the paper's forget-gate initialization: each layer starts close to the identity (σ ≈ 0.88).
/// Sampling (forward) is one network pass for all D coordinates; the inverse is sequential: with the input
/// unknown, pass t computes xᵢ = mᵢ + (yᵢ − mᵢ)/σᵢ for the coordinate of degree t + 1, whose inputs are all known by
/// then, so <see cref="Inverse(Var, Var?)"/> costs D network evaluations. Far in the tails, where a preimage
/// exceeds the float range (its density is below float range too), the inverse overflows.
/// Stack layers with alternating orderings (<see cref="Stack"/>) so every coordinate can depend on every other.
/// </summary>
public sealed class Iaf : Flow
{
    const float GateBias = 2f;
    readonly Made made;
    readonly Tensor[] known; // known[t]: 1 for the coordinates exact after inverse pass t

    /// <summary>An IAF layer on ℝ^<paramref name="dim"/> whose MADE has hidden widths <paramref name="hidden"/>.</summary>
    public Iaf(int dim, IReadOnlyList<int> hidden, Rng rng, bool reverse = false, int contextDim = 0) : base(dim, contextDim)
    {
        made = new Made(dim, hidden, 2, rng, reverse, contextDim);
        // Zero output weights (as Glow does for its coupling networks, Kingma & Dhariwal 2018): every layer starts as
        // y = σ(2)·x, input-independent, so a fresh stack is a mild contraction rather than a random warp whose
        // inverse can blow up; the hidden layers still receive gradient once the output weights move.
        made.OutputLayer.Weight.Value.Span.Clear();
        known = new Tensor[dim];
        for (int t = 0; t < dim; t++)
        {
            known[t] = Tensor.Zeros(dim);
            for (int i = 0; i < dim; i++) known[t].Span[i] = made.InputDegrees[i] <= t + 1 ? 1f : 0f;
        }
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
        // Pass t fixes the coordinates of degree t + 1; the rest stay 0 rather than carrying the pass's provisional
        // values, which can be huge (or infinite) and would turn into NaN through the masked weights (∞·0).
        var x = y.Tape is { } tape ? tape.Const(tape.Alloc(y.Shape, clear: true)) : Var.Const(Tensor.Zeros(y.Shape));
        for (int pass = 0; pass < Dim; pass++)
        {
            var (m, s) = Outputs(x, context);
            var next = m + (y - m) / Ops.Sigmoid(s);
            x = pass == Dim - 1 ? next : Ops.Where(known[pass], next, x);
        }
        return x;
    }
}
