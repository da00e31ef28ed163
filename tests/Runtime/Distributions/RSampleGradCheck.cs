using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// Checks a reparameterized sampler's gradient against finite differences of a Monte Carlo expectation with common
/// random numbers. f(θ) = (1/n) Σᵢ Σⱼ wⱼ·g(xᵢⱼ(θ, εᵢ)) with a fixed seed is a deterministic, smooth function of θ
/// (the noise ε is the same at θ + h and θ − h), so its pathwise gradient must equal its central difference up to
/// the difference's own error — not up to Monte Carlo error. With h = 10⁻³·max(1, |θ|) the truncation error is
/// O(h²) ≈ 10⁻⁶ and the float32 rounding of f is ≈ 10⁻⁷·|f|/h ≈ 10⁻⁴·|f|; a tolerance of 3·10⁻³·(1 + |∂f|) leaves
/// room for both while a wrong rule (a missing term, a wrong sign or factor) is off by O(|∂f|).
/// The weights w (fixed, in [0.5, 1.5]) make each batch/event element's gradient count separately.
/// </summary>
public static class RSampleGradCheck
{
    /// <summary>A smooth bounded test function, tanh(x/2): finite for heavy-tailed draws, slope O(1) near the bulk.</summary>
    public static Var Probe(Var x) => Ops.Tanh(Ops.Mul(x, 0.5f));

    public static void Check(Func<Var[], Distribution> make, Func<Var, Var> g, params Tensor[] parameters) =>
        Check(make, g, n: 2000, seed: 42, tol: 3e-3, parameters);

    public static void Check(Func<Var[], Distribution> make, Func<Var, Var> g, int n, ulong seed, double tol, params Tensor[] parameters)
    {
        var tape = new Tape();
        var ps = parameters.Select((t, i) => tape.Attach(Var.Parameter(t.Clone(), $"p{i}"))).ToArray();
        var d = make(ps);
        var w = Weights(d.Shape);
        var x = d.RSample(new Rng(seed), [n]);
        var f = Ops.Mul(Ops.Sum(Ops.Mul(g(x), Var.Const(w))), 1f / n);
        tape.Backward(f);
        var grads = ps.Select(p => p.Grad!.Clone()).ToArray();
        tape.Reset();

        double Eval()
        {
            var t2 = new Tape();
            var consts = ps.Select(p => t2.Const(p.Value)).ToArray();
            var xx = make(consts).RSample(new Rng(seed), [n]);
            var gx = g(xx).Value.Span;
            var ws = w.Span;
            double s = 0;
            for (int i = 0; i < gx.Length; i++) s += (double)gx[i] * ws[i % ws.Length];
            return s / n;
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
                double gr = grads[k].Span[i];
                Assert.True(Math.Abs(fd - gr) <= tol * (1 + Math.Abs(fd)),
                    $"parameter {k} element {i}: pathwise gradient {gr}, finite difference {fd}");
            }
        }
    }

    static Tensor Weights(int[] shape)
    {
        var rng = new System.Random(99);
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)(0.5 + rng.NextDouble());
        return t;
    }
}
