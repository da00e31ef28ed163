using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// Checks of the gamma family's reparameterized gradients: Monte Carlo averages of per-draw derivatives against known
/// derivatives of expectations (tolerances from their standard errors), and, for the parameters a draw is a smooth
/// function of at a fixed seed (rates and scales), finite differences of a Monte Carlo expectation with common random
/// numbers. The shape parameters' draws are not smooth at a fixed seed (rejection); see <see cref="QuantileCoupling"/>.
/// </summary>
public static class ImplicitGradientChecks
{
    /// <summary>
    /// Per-draw pathwise derivatives ∂f(xᵢ)/∂θₖ for n independent draws of a distribution with scalar parameters: each
    /// parameter is given n identical copies (shape [n]), so one backward pass leaves draw i's derivative in entry i
    /// of the adjoint of θₖ. <paramref name="f"/> maps the draws (shape [n]) to per-draw values (shape [n]).
    /// </summary>
    public static double[] PerDrawGradients(Func<Var[], Distribution> make, Func<Var, Var> f, float[] parameters,
        int k, int n, ulong seed)
    {
        var tape = new Tape();
        var ps = parameters.Select(v => tape.Attach(Var.Parameter(Tensor.Full(v, n)))).ToArray();
        var x = make(ps).RSample(new Rng(seed));
        tape.Backward(Ops.Sum(f(x)));
        var g = ps[k].Grad!.Span;
        var result = new double[n];
        for (int i = 0; i < n; i++) result[i] = g[i];
        return result;
    }

    /// <summary>
    /// Like <see cref="PerDrawGradients"/> for a vector parameter (a Dirichlet's α, shape [K]): result[j][i] is
    /// ∂f(zᵢ)/∂αⱼ for draw i, from one backward pass.
    /// </summary>
    public static double[][] PerDrawGradientsOfComponents(Func<Var, Distribution> make, Func<Var, Var> f, float[] alpha, int n, ulong seed)
    {
        var tape = new Tape();
        int k = alpha.Length;
        var t = Tensor.Zeros(n, k);
        for (int i = 0; i < n; i++) alpha.AsSpan().CopyTo(t.Span.Slice(i * k, k));
        var p = tape.Attach(Var.Parameter(t));
        var x = make(p).RSample(new Rng(seed));
        tape.Backward(Ops.Sum(f(x)));
        var g = p.Grad!.Span;
        var result = new double[k][];
        for (int j = 0; j < k; j++)
        {
            result[j] = new double[n];
            for (int i = 0; i < n; i++) result[j][i] = g[i * k + j];
        }
        return result;
    }

    /// <summary>
    /// Asserts the mean of per-draw derivatives equals a known derivative of an expectation within 5 standard errors
    /// (SE = sample sd/√n; 5 SE is a false alarm rate of 6·10⁻⁷ under the normal approximation, which the n ≥ 10⁴
    /// used here justifies for these finite-variance estimators), plus 10⁻⁶ relative for the float rounding of the
    /// per-draw values (which matters only when they barely vary, e.g. ∂log y/∂β = 1/β for every draw).
    /// </summary>
    public static void AssertMeanNear(double[] perDraw, double expected, string what)
    {
        var (m, se) = GoodnessOfFit.MeanAndSe(perDraw);
        foreach (double v in perDraw) Assert.True(double.IsFinite(v), $"{what}: non-finite per-draw gradient {v}");
        Assert.True(Math.Abs(m - expected) <= 5 * se + 1e-6 * Math.Abs(expected), $"{what}: Monte Carlo gradient {m:G6} ± {se:G3}, expected {expected:G6}");
    }

    /// <summary>
    /// The pathwise gradient against a finite difference of the Monte Carlo expectation F(θ) = (1/n) Σᵢ f(xᵢ(θ)) with
    /// common random numbers (the same seed at every θ), for a parameter the draws are a smooth function of at fixed
    /// noise (a rate or scale: x = g/β). F is then smooth too, so the two must agree to the accuracy of the
    /// difference, not up to Monte Carlo error: Richardson-extrapolated central differences at h and 2h,
    /// (4·D(h) − D(2h))/3 with h = 0.01·|θ|, have truncation error O(h⁴) ≈ 10⁻⁸; F is a double sum of float values,
    /// so its rounding is ≈ 10⁻⁷·|F| and contributes ≈ 10⁻⁵·|F|/|θ| to the difference. A tolerance of
    /// 10⁻⁴·(1 + |FD|) + 10⁻⁵·|F|/|θ| holds both, while a wrong rule (a missing factor or term) is off by O(|∂F|).
    /// </summary>
    public static void AssertSmoothCrn(Func<Var[], Distribution> make, Func<Var, Var> f, float[] parameters, int k, int n, ulong seed)
    {
        var tape = new Tape();
        var ps = parameters.Select(v => tape.Attach(Var.Parameter(Tensor.Scalar(v)))).ToArray();
        var mean = Ops.Mul(Ops.Sum(f(make(ps).RSample(new Rng(seed), [n]))), 1f / n);
        tape.Backward(mean);
        double g = ps[k].Grad!.ToScalar(), fAt = mean.ToScalar();

        float theta = parameters[k];
        float h = 0.01f * Math.Abs(theta);
        double F(float step)
        {
            var q = parameters.Select((v, i) => Var.Const(i == k ? theta + step : v)).ToArray();
            var y = f(make(q).RSample(new Rng(seed), [n])).Value.Span;
            double s = 0;
            foreach (float v in y) s += v;
            return s / n;
        }
        // The steps actually taken in float (θ ± h rounds), so the quotients divide by what was added.
        double Step(float s) => (double)(theta + s) - (double)(theta - s);
        double d1 = (F(h) - F(-h)) / Step(h), d2 = (F(2 * h) - F(-2 * h)) / Step(2 * h);
        double fd = (4 * d1 - d2) / 3;
        Assert.True(Math.Abs(fd - g) <= 1e-4 * (1 + Math.Abs(fd)) + 1e-5 * Math.Abs(fAt) / Math.Abs(theta),
            $"parameter {k}: pathwise {g:G7}, finite difference {fd:G7}");
    }
}
