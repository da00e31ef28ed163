using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Nn;

/// <summary>
/// y = x·(W ⊙ M) + b with a fixed 0/1 mask M of shape [in, out]: the building block of MADE (Germain et al. 2015),
/// where the masks make output i depend only on inputs earlier in an ordering. Masked entries receive zero gradient,
/// so they never matter, whatever their value.
/// </summary>
public sealed class MaskedLinear : Module
{
    readonly Var mask;

    /// <summary>A masked layer with weights drawn by <paramref name="init"/> (fan-in counted over unmasked inputs).</summary>
    public MaskedLinear(Tensor mask, Rng rng, InitScheme init = InitScheme.Xavier)
    {
        if (mask.Rank != 2) throw new ShapeException($"a mask is [in, out], got {Shapes.Format(mask.Shape)}");
        InFeatures = mask.Shape[0];
        OutFeatures = mask.Shape[1];
        this.mask = Var.Const(mask.Clone());
        // The mean number of connected inputs per output: the fan-in the variance-preserving schemes should see.
        double connected = Kernels.SumDouble(mask.Span) / Math.Max(1, OutFeatures);
        var w = Tensor.Zeros(InFeatures, OutFeatures);
        Init.Fill(w, Math.Max(1, (int)Math.Round(connected)), OutFeatures, init, rng);
        Weight = Var.Parameter(w, "weight");
        Bias = Var.Parameter(Tensor.Zeros(OutFeatures), "bias");
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }
    /// <summary>Output size.</summary>
    public int OutFeatures { get; }
    /// <summary>W, [in, out] (only unmasked entries matter).</summary>
    public Var Weight { get; }
    /// <summary>b, [out].</summary>
    public Var Bias { get; }
    /// <summary>The 0/1 mask.</summary>
    public Tensor Mask => mask.Value;

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Var Parameter)> NamedParameters()
    {
        yield return ("weight", Weight);
        yield return ("bias", Bias);
    }

    /// <inheritdoc/>
    public override Var Forward(Var input) => Ops.MatMul(input, Read(Weight) * mask) + Read(Bias);
}
