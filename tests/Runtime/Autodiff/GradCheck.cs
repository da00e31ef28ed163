using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Autodiff;

/// <summary>
/// Checks reverse-mode gradients against central finite differences. The scalar checked is Σ wᵢ·f(x)ᵢ with fixed
/// random weights w, so every output element's adjoint is exercised with a distinct weight. The differences are taken
/// on the float32 forward but formed in float64 with a step h = 1e-3·max(1, |x|): truncation error O(h²) ≈ 1e-6 and
/// rounding error ≈ ε₃₂·|f|/h ≈ 1e-4·|f|, so a tolerance of 3e-3·(1 + |g|) leaves room without hiding a wrong rule
/// (a wrong rule is off by O(|g|)).
/// </summary>
public static class GradCheck
{
    public static Tensor RandomTensor(System.Random rng, int[] shape, double lo = -2, double hi = 2)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)(lo + (hi - lo) * rng.NextDouble());
        return t;
    }

    public static void Check(Func<Var[], Var> f, params Tensor[] inputs) => Check(f, 3e-3, inputs);

    public static void Check(Func<Var[], Var> f, double tol, params Tensor[] inputs)
    {
        var rng = new System.Random(1234);
        var tape = new Tape();
        var ps = inputs.Select((t, i) => tape.Attach(Var.Parameter(t.Clone(), $"x{i}"))).ToArray();
        var y = f(ps);
        var w = RandomTensor(rng, y.Shape, 0.5, 1.5);
        var loss = Ops.Sum(Ops.Mul(y, Var.Const(w)));
        tape.Backward(loss);
        var grads = ps.Select(p => p.Grad!.Clone()).ToArray();
        tape.Reset();

        double Eval()
        {
            var t2 = new Tape();
            var consts = ps.Select(p => t2.Const(p.Value)).ToArray();
            var yy = f(consts);
            Assert.Equal(y.Shape, yy.Shape);
            double s = 0;
            var ys = yy.Value.Span; var ws = w.Span;
            for (int i = 0; i < ys.Length; i++) s += (double)ys[i] * ws[i];
            return s;
        }

        for (int k = 0; k < ps.Length; k++)
        {
            var xs = ps[k].Value.Span;
            for (int i = 0; i < xs.Length; i++)
            {
                float x0 = xs[i];
                float h = 1e-3f * Math.Max(1f, Math.Abs(x0));
                xs[i] = x0 + h; double fp = Eval();
                xs[i] = x0 - h; double fm = Eval();
                xs[i] = x0;
                double fd = (fp - fm) / (2.0 * h);
                double g = grads[k].Span[i];
                Assert.True(Math.Abs(fd - g) <= tol * (1 + Math.Abs(fd)),
                    $"input {k} element {i}: autodiff {g}, finite difference {fd}");
            }
        }
    }
}
