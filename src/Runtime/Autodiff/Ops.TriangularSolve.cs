using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// z = L⁻¹b for lower-triangular L [..., K, K] and right-hand sides b [..., K], the leading axes broadcasting
    /// like NumPy (one factor serves many vectors without a copy; a matrix right-hand side is a batch of its
    /// columns). Only the lower triangle of L is read, so entries above the diagonal get no gradient. Forward
    /// substitution z_r = (b_r − Σ_{c&lt;r} L_rc z_c) / L_rr, accumulated in double.
    /// Backward (Giles 2008, "An extended collection of matrix derivative results", §2.3): b̄ = L⁻ᵀ z̄ by back
    /// substitution, and L̄ = −b̄ zᵀ restricted to the lower triangle; both summed over shared batch entries.
    /// </summary>
    public static Var TriangularSolve(Var l, Var b)
    {
        if (l.Rank < 2 || b.Rank < 1 || l.Shape[^1] != l.Shape[^2] || l.Shape[^1] != b.Shape[^1])
            throw new ShapeException($"triangular solve of {Shapes.Format(l.Shape)} with {Shapes.Format(b.Shape)}: shapes do not match");
        int k = l.Shape[^1];
        var bb = new BatchBroadcast(l.Shape.AsSpan(0, l.Rank - 2), b.Shape.AsSpan(0, b.Rank - 1));
        int[] shape = [.. bb.Shape, k];
        var tape = TapeOf(l, b);
        var z = Alloc(tape, shape);
        {
            var L = l.Value.Span; var B = b.Value.Span; var Z = z.Span;
            for (int i = 0; i < bb.Count; i++)
                ForwardSubstitute(L.Slice(bb.A[i] * k * k, k * k), B.Slice(bb.B[i] * k, k), Z.Slice(i * k, k), k);
        }
        return Result(tape, z, In(l, b), node =>
        {
            var L = l.Value.Span; var Z = node.Value.Span; var G = node.Grad!.Span;
            var bbar = Temp(node, shape); var Bb = bbar.Span;
            for (int i = 0; i < bb.Count; i++)
                BackSubstituteTransposed(L.Slice(bb.A[i] * k * k, k * k), G.Slice(i * k, k), Bb.Slice(i * k, k), k);
            if (l.RequiresGrad)
            {
                var t = Temp(node, l.Shape, clear: true); var T = t.Span;
                for (int i = 0; i < bb.Count; i++)
                {
                    var ti = T.Slice(bb.A[i] * k * k, k * k);
                    var zi = Z.Slice(i * k, k); var gi = Bb.Slice(i * k, k);
                    for (int r = 0; r < k; r++)
                        Kernels.MultiplyAdd(zi[..(r + 1)], -gi[r], ti.Slice(r * k, r + 1), ti.Slice(r * k, r + 1));
                }
                Acc(node, l, t, owned: true);
            }
            if (b.RequiresGrad) Acc(node, b, bbar, owned: bbar.Size == b.Size);
        });
    }

    /// <summary>z = L⁻¹b for one lower-triangular K×K block.</summary>
    static void ForwardSubstitute(ReadOnlySpan<float> l, ReadOnlySpan<float> b, Span<float> z, int k)
    {
        for (int r = 0; r < k; r++)
        {
            double s = b[r];
            var row = l.Slice(r * k, r);
            for (int c = 0; c < r; c++) s -= (double)row[c] * z[c];
            z[r] = (float)(s / l[r * k + r]);
        }
    }

    /// <summary>x = L⁻ᵀg for one lower-triangular K×K block (back substitution on the transpose).</summary>
    static void BackSubstituteTransposed(ReadOnlySpan<float> l, ReadOnlySpan<float> g, Span<float> x, int k)
    {
        for (int r = k - 1; r >= 0; r--)
        {
            double s = g[r];
            for (int c = r + 1; c < k; c++) s -= (double)l[c * k + r] * x[c];
            x[r] = (float)(s / l[r * k + r]);
        }
    }
}
