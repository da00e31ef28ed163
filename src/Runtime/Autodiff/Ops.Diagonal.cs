using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The main diagonal of square matrices, batched over leading axes: [..., K, K] → [..., K] (for log-determinants
    /// of triangular factors, log|L| = Σ log L_ii). The adjoint scatters back onto the diagonal.
    /// </summary>
    public static Var Diagonal(Var x)
    {
        if (x.Rank < 2 || x.Shape[^1] != x.Shape[^2])
            throw new ShapeException($"Diagonal needs square matrices, got shape {Shapes.Format(x.Shape)}");
        int k = x.Shape[^1], batch = x.Size / Math.Max(k * k, 1);
        var tape = TapeOf(x);
        var v = Alloc(tape, x.Shape[..^1]);
        var xs = x.Value.Span; var vs = v.Span;
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < k; i++) vs[b * k + i] = xs[b * k * k + i * k + i];
        return Result(tape, v, In(x), y =>
        {
            var t = Temp(y, x.Shape, clear: true);
            var g = y.Grad!.Span; var ts = t.Span;
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < k; i++) ts[b * k * k + i * k + i] = g[b * k + i];
            Acc(y, x, t, owned: true);
        });
    }
}
