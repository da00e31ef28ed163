using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The straight-through estimator (Bengio, Léonard &amp; Courville 2013, "Estimating or propagating gradients
    /// through stochastic neurons", arXiv:1308.3432; used with Gumbel-softmax by Jang et al. 2017): the value is
    /// <paramref name="hard"/> exactly (e.g. a one-hot vector), while the backward pass treats the op as the identity
    /// on <paramref name="soft"/>, ∂/∂soft = ȳ. Unlike soft + stopgrad(hard − soft) this returns hard bit for bit.
    /// </summary>
    public static Var StraightThrough(Var soft, Tensor hard)
    {
        if (!Shapes.Equal(soft.Shape, hard.Shape))
            throw new ShapeException($"straight-through: shapes {Shapes.Format(soft.Shape)} and {Shapes.Format(hard.Shape)} differ");
        var tape = TapeOf(soft);
        var v = Alloc(tape, hard.Shape);
        hard.Span.CopyTo(v.Span);
        return Result(tape, v, In(soft), y => Acc(y, soft, y.Grad!));
    }
}
