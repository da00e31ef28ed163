using System.Numerics.Tensors;

namespace Ppl.Runtime.Tensors;

/// <summary>An elementwise binary operation in its three span forms (vector–vector, vector–scalar, scalar–vector).</summary>
public interface IBinaryKernel
{
    /// <summary>d[i] = op(a[i], b[i]).</summary>
    static abstract void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d);
    /// <summary>d[i] = op(a[i], b).</summary>
    static abstract void VS(ReadOnlySpan<float> a, float b, Span<float> d);
    /// <summary>d[i] = op(a, b[i]).</summary>
    static abstract void SV(float a, ReadOnlySpan<float> b, Span<float> d);
}

/// <summary>The binary kernels, each a thin wrapper over <see cref="TensorPrimitives"/>.</summary>
public static class BinaryKernels
{
    /// <summary>a + b.</summary>
    public readonly struct Add : IBinaryKernel
    {
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Add(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(b, a, d);
    }

    /// <summary>a − b.</summary>
    public readonly struct Sub : IBinaryKernel
    {
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
    }

    /// <summary>a · b.</summary>
    public readonly struct Mul : IBinaryKernel
    {
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(b, a, d);
    }

    /// <summary>a / b.</summary>
    public readonly struct Div : IBinaryKernel
    {
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Multiply(a, 1f / b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
    }

    /// <summary>a ^ b.</summary>
    public readonly struct Pow : IBinaryKernel
    {
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Pow(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d)
        {
            if (b == 2f) TensorPrimitives.Multiply(a, a, d);
            else TensorPrimitives.Pow(a, b, d);
        }
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Pow(a, b, d);
    }

    /// <summary>max(a, b).</summary>
    public readonly struct Max : IBinaryKernel
    {
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Max(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Max(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Max(b, a, d);
    }

    /// <summary>min(a, b).</summary>
    public readonly struct Min : IBinaryKernel
    {
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Min(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Min(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Min(b, a, d);
    }

    /// <summary>a, ignoring b: makes <see cref="BroadcastInto"/> a copy rather than an addition of zero.</summary>
    readonly struct Left : IBinaryKernel
    {
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => a.CopyTo(d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => a.CopyTo(d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => d.Fill(a);
    }

    static readonly Tensor Unused = Tensor.Scalar(0f);

    /// <summary>Writes <paramref name="src"/> broadcast to <paramref name="dst"/>'s shape into <paramref name="dst"/>.</summary>
    public static void BroadcastInto(Tensor src, Tensor dst) => Apply<Left>(src, Unused, dst);

    /// <summary>
    /// d = op(a, b) with NumPy broadcasting. The trailing axes are fused into the longest run on which each
    /// operand is either contiguous or constant, so the inner call is one TensorPrimitives kernel over the run and
    /// the outer loop walks only the broadcast axes.
    /// </summary>
    public static void Apply<TOp>(Tensor a, Tensor b, Tensor d) where TOp : IBinaryKernel
    {
        if (a.Size == d.Size && b.Size == d.Size && Shapes.Equal(a.Shape, b.Shape))
        {
            TOp.VV(a.Span, b.Span, d.Span);
            return;
        }
        if (b.Size == 1 && a.Size == d.Size) { TOp.VS(a.Span, b.Storage[b.Offset], d.Span); return; }
        if (a.Size == 1 && b.Size == d.Size) { TOp.SV(a.Storage[a.Offset], b.Span, d.Span); return; }

        var layout = new BroadcastLayout(d.Shape, a.Shape, b.Shape);
        var aS = a.Span; var bS = b.Span; var dS = d.Span;
        int run = layout.Run;
        for (int outer = 0, o = 0; o < dS.Length; outer++, o += run)
        {
            layout.Offsets(outer, out int ai, out int bi);
            var dst = dS.Slice(o, run);
            bool aConst = layout.AConstant, bConst = layout.BConstant;
            if (!aConst && !bConst) TOp.VV(aS.Slice(ai, run), bS.Slice(bi, run), dst);
            else if (!aConst) TOp.VS(aS.Slice(ai, run), bS[bi], dst);
            else TOp.SV(aS[ai], bS.Slice(bi, run), dst);
        }
    }
}

/// <summary>
/// Walks an output shape with two broadcast operands as (outer index → operand offsets) × an inner run
/// over which each operand is contiguous or constant.
/// </summary>
internal readonly struct BroadcastLayout
{
    readonly int[] outerShape;
    readonly int[] aStrides, bStrides;
    public readonly int Run;
    public readonly bool AConstant, BConstant;

    public BroadcastLayout(int[] outShape, int[] aShape, int[] bShape)
    {
        int r = outShape.Length;
        var sa = Shapes.BroadcastStrides(aShape, outShape);
        var sb = Shapes.BroadcastStrides(bShape, outShape);
        // Find the longest suffix of axes on which a is either fully contiguous or fully zero-stride, and same for b.
        int run = 1, axis = r;
        bool? aCont = null, bCont = null;
        while (axis > 0)
        {
            int i = axis - 1, n = outShape[i];
            if (n == 1) { axis--; continue; }
            bool ac = sa[i] == run, az = sa[i] == 0;
            bool bc = sb[i] == run, bz = sb[i] == 0;
            if (aCont is null && az && bz)
            {
                // Both constant on the innermost axis (a [N,1] against a scalar): no fused run, walk element by element.
                aCont = bCont = true;
                break;
            }
            bool aOk = aCont is null ? ac || az : aCont.Value ? ac : az;
            bool bOk = bCont is null ? bc || bz : bCont.Value ? bc : bz;
            if (!aOk || !bOk || (aCont == false && bz) || (bCont == false && az)) break;
            aCont ??= ac; bCont ??= bc;
            run *= n;
            axis--;
        }
        Run = run;
        AConstant = aCont == false;
        BConstant = bCont == false;
        outerShape = outShape[..axis];
        aStrides = sa[..axis];
        bStrides = sb[..axis];
    }

    public void Offsets(int outer, out int ai, out int bi)
    {
        ai = 0; bi = 0;
        for (int i = outerShape.Length - 1; i >= 0; i--)
        {
            int n = outerShape[i];
            int k = outer % n;
            outer /= n;
            ai += k * aStrides[i];
            bi += k * bStrides[i];
        }
    }
}
