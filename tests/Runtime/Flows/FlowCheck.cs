using Ppl.Runtime.Params;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Flows;

/// <summary>Helpers shared by the flow tests: setting weights, a 2-D grid integral, two-moons data and an Adam fit.</summary>
public static class FlowCheck
{
    /// <summary>Overwrites every parameter with U(−scale, scale) draws (context weights included), for flows far from their initialization.</summary>
    public static void Randomize(IParameterized p, int seed, float scale)
    {
        var rng = new System.Random(seed);
        foreach (var (_, v) in p.NamedParameters())
            for (int i = 0; i < v.Size; i++) v.Value.Span[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
    }

    /// <summary>A standard normal on ℝ² as a base (batch shape [2], made an event by the flows).</summary>
    public static Normal StandardNormal2() => new(Var.Const(Tensor.Zeros(2)), Var.Const(Tensor.Full(1f, 2)));

    /// <summary>
    /// ∫ p over [−lim, lim]² by the midpoint rule on an n×n grid. Its error is about (h²/24)·∫|∇²p| plus the mass
    /// outside the square; for the smooth, O(1)-curvature densities here with h = 2·lim/n ≤ 0.04 that is ≲ 1e-4.
    /// </summary>
    public static double GridIntegral(Distribution d, double lim, int n)
    {
        double h = 2 * lim / n;
        var pts = Tensor.Zeros(n * n, 2);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                pts[i * n + j, 0] = (float)(-lim + (i + 0.5) * h);
                pts[i * n + j, 1] = (float)(-lim + (j + 0.5) * h);
            }
        var lp = d.LogProb(Var.Const(pts)).Value;
        Assert.Equal([n * n], lp.Shape);
        double s = 0;
        foreach (float v in lp.Span) s += Math.Exp(v);
        return s * h * h;
    }

    /// <summary>Two interleaved half circles (the two-moons set) with Gaussian noise, n points [n, 2].</summary>
    public static Tensor TwoMoons(int n, int seed, double noise = 0.05)
    {
        var rng = new System.Random(seed);
        var t = Tensor.Zeros(n, 2);
        for (int i = 0; i < n; i++)
        {
            double a = Math.PI * rng.NextDouble();
            bool upper = i % 2 == 0;
            double x = upper ? Math.Cos(a) : 1 - Math.Cos(a), y = upper ? Math.Sin(a) : 0.5 - Math.Sin(a);
            t[i, 0] = (float)(x + noise * Gauss(rng));
            t[i, 1] = (float)(y + noise * Gauss(rng));
        }
        return t;
    }

    static double Gauss(System.Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>Shifts and scales each column by the given moments.</summary>
    public static Tensor Standardize(Tensor x, double[] mean, double[] sd)
    {
        var y = x.Clone();
        for (int i = 0; i < x.Shape[0]; i++)
            for (int j = 0; j < 2; j++) y[i, j] = (float)((x[i, j] - mean[j]) / sd[j]);
        return y;
    }

    public static (double[] Mean, double[] Sd) ColumnMoments(Tensor x)
    {
        int n = x.Shape[0];
        var m = new double[2]; var s = new double[2];
        for (int j = 0; j < 2; j++)
        {
            for (int i = 0; i < n; i++) m[j] += x[i, j];
            m[j] /= n;
            for (int i = 0; i < n; i++) s[j] += (x[i, j] - m[j]) * (x[i, j] - m[j]);
            s[j] = Math.Sqrt(s[j] / n);
        }
        return (m, s);
    }

    /// <summary>Mean log-likelihood of <paramref name="test"/> under the maximum-likelihood full-covariance Gaussian of <paramref name="train"/>.</summary>
    public static double GaussianLogLikelihood(Tensor train, Tensor test)
    {
        var (m, _) = ColumnMoments(train);
        int n = train.Shape[0];
        double a = 0, b = 0, c = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = train[i, 0] - m[0], dy = train[i, 1] - m[1];
            a += dx * dx; b += dx * dy; c += dy * dy;
        }
        a /= n; b /= n; c /= n;
        double det = a * c - b * b, s = 0;
        int k = test.Shape[0];
        for (int i = 0; i < k; i++)
        {
            double dx = test[i, 0] - m[0], dy = test[i, 1] - m[1];
            double q = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
            s += -0.5 * q - Math.Log(2 * Math.PI) - 0.5 * Math.Log(det);
        }
        return s / k;
    }

    /// <summary>
    /// Maximizes the mean of <paramref name="logProb"/> over <paramref name="owner"/>'s parameters with full-batch
    /// Adam (Kingma &amp; Ba 2015: β₁ = 0.9, β₂ = 0.999, ε = 1e-8). Returns the final mean log-likelihood.
    /// </summary>
    public static double FitAdam(IParameterized owner, Func<Var, Var> logProb, Tensor data, int steps, float lr)
    {
        var ps = owner.NamedParameters().Select(p => p.Parameter).ToArray();
        var m = ps.Select(p => new double[p.Size]).ToArray();
        var v = ps.Select(p => new double[p.Size]).ToArray();
        var tape = new Tape();
        double last = double.NaN;
        for (int step = 1; step <= steps; step++)
        {
            foreach (var p in ps) { tape.Attach(p); p.Grad!.Span.Clear(); }
            var mean = Ops.Mean(logProb(tape.Const(data)));
            last = mean.ToScalar();
            tape.Backward(-mean);
            double c1 = 1 - Math.Pow(0.9, step), c2 = 1 - Math.Pow(0.999, step);
            for (int k = 0; k < ps.Length; k++)
            {
                var g = ps[k].Grad!.Span; var x = ps[k].Value.Span;
                for (int i = 0; i < g.Length; i++)
                {
                    m[k][i] = 0.9 * m[k][i] + 0.1 * g[i];
                    v[k][i] = 0.999 * v[k][i] + 0.001 * g[i] * g[i];
                    x[i] -= (float)(lr * (m[k][i] / c1) / (Math.Sqrt(v[k][i] / c2) + 1e-8));
                }
            }
            tape.Reset();
        }
        return last;
    }
}
