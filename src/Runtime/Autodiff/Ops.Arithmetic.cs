using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tensors.BinaryKernels;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    static Var Binary<TOp>(Var a, Var b, Action<Var> backward) where TOp : IBinaryKernel
    {
        var tape = TapeOf(a, b);
        var shape = Shapes.BroadcastShared(a.Shape, b.Shape);
        var y = Alloc(tape, shape);
        Apply<TOp>(a.Value, b.Value, y);
        return Result(tape, y, In(a, b), backward, a, b);
    }

    /// <summary>tmp = op(x, z) in y's (broadcast) shape, handed to x's adjoint.</summary>
    static void AccProduct<TOp>(Var y, Var target, Tensor x, Tensor z) where TOp : IBinaryKernel
    {
        var t = Temp(y, y.Shape);
        Apply<TOp>(x, z, t);
        Acc(y, target, t, owned: t.Size == target.Size);
    }

    /// <summary>a + b. ∂/∂a = 1, ∂/∂b = 1 (summed over broadcast axes).</summary>
    public static Var Add(Var a, Var b) => Binary<BinaryKernels.Add>(a, b, static y =>
    {
        Acc(y, y.In0!, y.Grad!);
        Acc(y, y.In1!, y.Grad!);
    });

    /// <summary>a − b. ∂/∂a = 1, ∂/∂b = −1.</summary>
    public static Var Sub(Var a, Var b) => Binary<BinaryKernels.Sub>(a, b, static y =>
    {
        var (a, b) = (y.In0!, y.In1!);
        Acc(y, a, y.Grad!);
        if (b.RequiresGrad)
        {
            var t = Temp(y, y.Shape);
            Kernels.Negate(y.Grad!.Span, t.Span);
            Acc(y, b, t, owned: t.Size == b.Size);
        }
    });

    /// <summary>a · b. ∂/∂a = b, ∂/∂b = a.</summary>
    public static Var Mul(Var a, Var b) => Binary<BinaryKernels.Mul>(a, b, static y =>
    {
        var (a, b) = (y.In0!, y.In1!);
        if (a.RequiresGrad) AccProduct<Mul>(y, a, y.Grad!, b.Value);
        if (b.RequiresGrad) AccProduct<Mul>(y, b, y.Grad!, a.Value);
    });

    /// <summary>a / b. ∂/∂a = 1/b, ∂/∂b = −a/b² = −y/b.</summary>
    public static Var Div(Var a, Var b) => Binary<BinaryKernels.Div>(a, b, static y =>
    {
        var (a, b) = (y.In0!, y.In1!);
        if (a.RequiresGrad) AccProduct<BinaryKernels.Div>(y, a, y.Grad!, b.Value);
        if (b.RequiresGrad)
        {
            var t = Temp(y, y.Shape);
            Apply<Mul>(y.Grad!, y.Value, t);
            Apply<BinaryKernels.Div>(t, b.Value, t);
            Kernels.Negate(t.Span, t.Span);
            Acc(y, b, t, owned: t.Size == b.Size);
        }
    });

    /// <summary>aᵇ. ∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·log a.</summary>
    public static Var Pow(Var a, Var b) => Binary<BinaryKernels.Pow>(a, b, static y =>
    {
        var (a, b) = (y.In0!, y.In1!);
        if (a.RequiresGrad)
        {
            var bm1 = Temp(y, b.Shape);
            Kernels.Affine(b.Value.Span, 1f, -1f, bm1.Span);
            var t = Temp(y, y.Shape);
            Apply<BinaryKernels.Pow>(a.Value, bm1, t);
            Apply<Mul>(t, b.Value, t);
            Apply<Mul>(t, y.Grad!, t);
            Acc(y, a, t, owned: t.Size == a.Size);
        }
        if (b.RequiresGrad)
        {
            var la = Temp(y, a.Shape);
            Kernels.Log(a.Value.Span, la.Span);
            var t = Temp(y, y.Shape);
            Apply<Mul>(y.Value, la, t);
            Apply<Mul>(t, y.Grad!, t);
            Acc(y, b, t, owned: t.Size == b.Size);
        }
    });

    /// <summary>x² (cheaper and exact compared with Pow(x, 2)). ∂/∂x = 2x.</summary>
    public static Var Square(Var x) => Binary<Mul>(x, x, static y =>
    {
        var t = Temp(y, y.Shape);
        Apply<Mul>(y.Grad!, y.In0!.Value, t);
        Kernels.Scale(t.Span, 2f, t.Span);
        Acc(y, y.In0!, t, owned: true);
    });

    /// <summary>−x.</summary>
    public static Var Neg(Var x)
    {
        var tape = TapeOf(x);
        var v = Alloc(tape, x.Shape);
        Kernels.Negate(x.Value.Span, v.Span);
        return Result(tape, v, In(x), static y =>
        {
            var t = Temp(y, y.Shape);
            Kernels.Negate(y.Grad!.Span, t.Span);
            Acc(y, y.In0!, t, owned: true);
        }, x);
    }

    /// <summary>Elementwise max(a, b); the gradient goes to the larger (to a on ties).</summary>
    public static Var Maximum(Var a, Var b) => MinMax(a, b, isMax: true);

    /// <summary>Elementwise min(a, b); the gradient goes to the smaller (to a on ties).</summary>
    public static Var Minimum(Var a, Var b) => MinMax(a, b, isMax: false);

    static Var MinMax(Var a, Var b, bool isMax)
    {
        Action<Var> backward = static y =>
        {
            var (a, b) = (y.In0!, y.In1!);
            // Mask where a was chosen: (a == y). Gradient = g·mask to a, g·(1−mask) to b.
            var mask = Temp(y, y.Shape);
            var ab = Temp(y, y.Shape);
            BinaryKernels.BroadcastInto(a.Value, ab);
            var ms = mask.Span; var abS = ab.Span; var ys = y.Value.Span;
            for (int i = 0; i < ms.Length; i++) ms[i] = abS[i] == ys[i] ? 1f : 0f;
            if (a.RequiresGrad) AccProduct<Mul>(y, a, y.Grad!, mask);
            if (b.RequiresGrad)
            {
                Kernels.Affine(ms, -1f, 1f, ms);
                AccProduct<Mul>(y, b, y.Grad!, mask);
            }
        };
        return isMax ? Binary<BinaryKernels.Max>(a, b, backward) : Binary<BinaryKernels.Min>(a, b, backward);
    }

    /// <summary>Σᵢ wᵢ·xᵢ for same-shaped a, b: Sum(a·b).</summary>
    public static Var Dot(Var a, Var b) => Sum(Mul(a, b));
}
