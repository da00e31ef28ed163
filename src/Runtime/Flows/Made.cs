using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Flows;

/// <summary>
/// MADE, the masked autoencoder of Germain et al. 2015 ("MADE: Masked autoencoder for distribution estimation"):
/// an MLP whose weight masks make every output block's entry i depend only on inputs that come before i in an
/// ordering. Input i gets degree d(i) ∈ 1..D (i + 1, or D − i when reversed), hidden unit k a degree in 1..D−1
/// (assigned cyclically, k mod (D − 1) + 1, so every degree is used when the layer is wide enough); a hidden
/// unit sees the units of the layer below whose degree is ≤ its own, and output i sees the last hidden units of
/// degree &lt; d(i). An optional context enters the first hidden layer unmasked, which keeps the property.
/// Output layout: [..., P·D] with block p (of <see cref="OutputsPerDim"/>) holding entries p·D .. p·D + D − 1.
/// </summary>
public sealed class Made : Module
{
    readonly MaskedLinear[] layers;
    readonly Linear? context;
    readonly Activation activation;

    /// <summary>
    /// A MADE on ℝ^<paramref name="dim"/> with hidden layer widths <paramref name="hidden"/>, producing
    /// <paramref name="outputsPerDim"/> values per input, conditioned on contexts of size
    /// <paramref name="contextDim"/> (0: none).
    /// </summary>
    public Made(int dim, IReadOnlyList<int> hidden, int outputsPerDim, Rng rng, bool reverse = false, int contextDim = 0,
        Activation activation = Activation.Elu)
    {
        if (dim <= 0 || hidden.Count == 0 || hidden.Any(h => h <= 0) || outputsPerDim <= 0)
            throw new ArgumentException("MADE needs a positive dimension, at least one positive hidden width and outputs");
        Dim = dim;
        OutputsPerDim = outputsPerDim;
        ContextDim = contextDim;
        this.activation = activation;
        InputDegrees = new int[dim];
        for (int i = 0; i < dim; i++) InputDegrees[i] = reverse ? dim - i : i + 1;

        layers = new MaskedLinear[hidden.Count + 1];
        int[] below = InputDegrees;
        for (int l = 0; l < hidden.Count; l++)
        {
            var degrees = new int[hidden[l]];
            // For D = 1 there is nothing to condition on: degree 0 units see no input and feed the single output.
            for (int k = 0; k < degrees.Length; k++) degrees[k] = dim > 1 ? k % (dim - 1) + 1 : 0;
            layers[l] = new MaskedLinear(Mask(below, degrees, strict: false), rng, activation.DefaultInit());
            below = degrees;
        }
        var outDegrees = new int[outputsPerDim * dim];
        for (int o = 0; o < outDegrees.Length; o++) outDegrees[o] = InputDegrees[o % dim];
        layers[^1] = new MaskedLinear(Mask(below, outDegrees, strict: true), rng, InitScheme.Xavier);
        if (contextDim > 0) context = new Linear(contextDim, hidden[0], rng, activation.DefaultInit(), bias: false);
    }

    /// <summary>D.</summary>
    public int Dim { get; }
    /// <summary>The masked output layer (flows zero it so they start at a fixed, input-independent map).</summary>
    public MaskedLinear OutputLayer => layers[^1];
    /// <summary>Values produced per input dimension.</summary>
    public int OutputsPerDim { get; }
    /// <summary>Context size (0: none).</summary>
    public int ContextDim { get; }
    /// <summary>The degree of each input: output i depends on input j only if InputDegrees[j] &lt; InputDegrees[i].</summary>
    public int[] InputDegrees { get; }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Var Parameter)> NamedParameters()
    {
        for (int l = 0; l < layers.Length; l++)
            foreach (var (name, p) in layers[l].NamedParameters()) yield return ($"layers.{l}.{name}", p);
        if (context is not null) yield return ("context.weight", context.Weight);
    }

    /// <inheritdoc/>
    public override Var Forward(Var input) => ContextDim > 0
        ? throw new InvalidOperationException("this MADE is conditioned on a context: call Forward(input, context)")
        : Forward(input, null);

    /// <summary>The outputs for inputs [..., D] and, when conditioned, contexts [..., C].</summary>
    public Var Forward(Var input, Var? contextInput)
    {
        if (input.Rank == 0 || input.Shape[^1] != Dim)
            throw new ShapeException($"MADE expects inputs [..., {Dim}], got {Shapes.Format(input.Shape)}");
        var h = layers[0].Forward(input);
        if (context is not null)
            h = h + context.Forward(contextInput ?? throw new ArgumentNullException(nameof(contextInput), "this MADE needs a context"));
        for (int l = 1; l < layers.Length; l++)
            h = layers[l].Forward(activation.Apply(h));
        return h;
    }

    /// <summary>M[j, k] = 1 when unit k (degree out[k]) may see unit j (degree in[j]): out ≥ in, or out &gt; in for outputs.</summary>
    static Tensor Mask(int[] inDegrees, int[] outDegrees, bool strict)
    {
        var m = Tensor.Zeros(inDegrees.Length, outDegrees.Length);
        var s = m.Span;
        for (int j = 0; j < inDegrees.Length; j++)
            for (int k = 0; k < outDegrees.Length; k++)
                s[j * outDegrees.Length + k] = (strict ? outDegrees[k] > inDegrees[j] : outDegrees[k] >= inDegrees[j]) ? 1f : 0f;
        return m;
    }
}
