using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// Matrix–vector product with broadcast batch axes: a [..., M, K] times v [..., K] gives [..., M], where the
    /// leading axes of a and v broadcast like NumPy (so one matrix [M, K] serves a batch of vectors [N, K] without
    /// being copied — the multivariate normal's x = μ + L·ε for many draws). y_r = Σ_c A_rc v_c.
    /// Backward: ∂A_rc = ȳ_r v_c and ∂v_c = Σ_r A_rc ȳ_r, each summed over the batch entries that shared the operand.
    /// </summary>
    public static Var MatVec(Var a, Var v)
    {
        if (a.Rank < 2 || v.Rank < 1 || a.Shape[^1] != v.Shape[^1])
            throw new ShapeException($"matrix-vector product of {Shapes.Format(a.Shape)} and {Shapes.Format(v.Shape)}: shapes do not match");
        int m = a.Shape[^2], k = a.Shape[^1];
        var bb = new BatchBroadcast(a.Shape.AsSpan(0, a.Rank - 2), v.Shape.AsSpan(0, v.Rank - 1));
        int[] shape = [.. bb.Shape, m];
        var tape = TapeOf(a, v);
        var y = Alloc(tape, shape);
        {
            var A = a.Value.Span; var V = v.Value.Span; var Y = y.Span;
            for (int i = 0; i < bb.Count; i++)
            {
                var ai = A.Slice(bb.A[i] * m * k, m * k);
                var vi = V.Slice(bb.B[i] * k, k);
                for (int r = 0; r < m; r++) Y[i * m + r] = Kernels.Dot(ai.Slice(r * k, k), vi);
            }
        }
        return Result(tape, y, In(a, v), node =>
        {
            var G = node.Grad!.Span; var A = a.Value.Span; var V = v.Value.Span;
            if (a.RequiresGrad)
            {
                var t = Temp(node, a.Shape, clear: true); var T = t.Span;
                for (int i = 0; i < bb.Count; i++)
                {
                    var ti = T.Slice(bb.A[i] * m * k, m * k);
                    var vi = V.Slice(bb.B[i] * k, k);
                    for (int r = 0; r < m; r++) Kernels.MultiplyAdd(vi, G[i * m + r], ti.Slice(r * k, k), ti.Slice(r * k, k));
                }
                Acc(node, a, t, owned: true);
            }
            if (v.RequiresGrad)
            {
                var t = Temp(node, v.Shape, clear: true); var T = t.Span;
                for (int i = 0; i < bb.Count; i++)
                {
                    var ai = A.Slice(bb.A[i] * m * k, m * k);
                    var ti = T.Slice(bb.B[i] * k, k);
                    for (int r = 0; r < m; r++) Kernels.MultiplyAdd(ai.Slice(r * k, k), G[i * m + r], ti, ti);
                }
                Acc(node, v, t, owned: true);
            }
        });
    }
}
