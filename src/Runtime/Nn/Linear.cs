using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Nn;

/// <summary>
/// y = x·W + b, with the weight stored [in, out]. For the usual [B, in] (or [..., in]) input this is one
/// non-transposed row-major GEMM [B, in]·[in, out], whose inner loop streams rows of W and of the output
/// contiguously; PyTorch's [out, in] layout (y = x·Wᵀ + b) would need the transposed variant or a copy on every
/// forward pass. The backward GEMMs (∂x = G·Wᵀ, ∂W = xᵀ·G) take one transposed operand in either layout.
/// </summary>
public sealed class Linear : Module
{
    /// <summary>A layer with weights drawn by <paramref name="init"/> from <paramref name="rng"/> and a zero bias.</summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, InitScheme init = InitScheme.Xavier, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentException($"a linear layer needs positive sizes, got {inFeatures} → {outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var w = Tensor.Zeros(inFeatures, outFeatures);
        Init.Fill(w, inFeatures, outFeatures, init, rng);
        Weight = Var.Parameter(w, "weight");
        Bias = bias ? Var.Parameter(Tensor.Zeros(outFeatures), "bias") : null;
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }
    /// <summary>Output size.</summary>
    public int OutFeatures { get; }
    /// <summary>W, [in, out].</summary>
    public Var Weight { get; }
    /// <summary>b, [out], or null for a layer without bias.</summary>
    public Var? Bias { get; }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Var Parameter)> NamedParameters()
    {
        yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <summary>x·W + b for x of shape [..., in] (or [in]).</summary>
    public override Var Forward(Var input)
    {
        if (input.Rank == 0 || input.Shape[^1] != InFeatures)
            throw new ShapeException($"linear layer expects inputs [..., {InFeatures}], got {Shapes.Format(input.Shape)}");
        var y = Ops.MatMul(input, Read(Weight));
        return Bias is null ? y : y + Read(Bias);
    }
}
