using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Fitting;

/// <summary>Models with exact posteriors, written against the site API.</summary>
static class FitModels
{
    static readonly SiteLocation At = new("fit.ppl", 2, 3);

    /// <summary>mu ~ N(0, 1), y_i ~ N(mu, 1): posterior N(Σy/(n+1), 1/(n+1)).</summary>
    public sealed class NormalNormal(float[] y) : IModel
    {
        public string Name => "NormalNormal";
        public double PostMean => y.Sum() / (y.Length + 1.0);
        public double PostSd => 1 / Math.Sqrt(y.Length + 1.0);
        public void Run(ModelContext ctx)
        {
            var mu = ctx.Sample("mu", new Normal(0f, 1f), At);
            ctx.Observe("y", new Normal(Ops.BroadcastTo(mu, y.Length), 1f), ctx.Constant(new Tensor(y, y.Length)), At);
        }
    }

    /// <summary>
    /// Bayesian linear regression with known noise: w ~ N(0, 10² I) (w = [a, b]), y_i ~ N(a + b x_i, σ²).
    /// Posterior N(m, Λ⁻¹) with Λ = XᵀX/σ² + I/100 and m = Λ⁻¹Xᵀy/σ².
    /// </summary>
    public sealed class LinearRegression(float[] x, float[] y, float sigma) : IModel
    {
        public string Name => "LinearRegression";
        public void Run(ModelContext ctx)
        {
            var w = ctx.Sample("w", new Normal(0f, 10f), [2], At);
            var a = Ops.Index(w, 0, 0);
            var b = Ops.Index(w, 0, 1);
            var mean = a + b * ctx.Constant(new Tensor(x, x.Length));
            ctx.Observe("y", new Normal(mean, sigma), ctx.Constant(new Tensor(y, y.Length)), At);
        }

        /// <summary>(mean, covariance) of the exact posterior.</summary>
        public (double[] Mean, double[,] Cov) Posterior()
        {
            double s2 = sigma * sigma;
            double l00 = x.Length / s2 + 0.01, l01 = x.Sum() / s2, l11 = x.Sum(v => v * v) / s2 + 0.01;
            double r0 = y.Sum() / s2, r1 = x.Zip(y, (u, v) => u * v).Sum() / s2;
            double det = l00 * l11 - l01 * l01;
            var cov = new double[,] { { l11 / det, -l01 / det }, { -l01 / det, l00 / det } };
            return ([cov[0, 0] * r0 + cov[0, 1] * r1, cov[1, 0] * r0 + cov[1, 1] * r1], cov);
        }
    }

    /// <summary>A model whose likelihood overflows: y ~ N(exp(exp(exp(u))), 1) with u ~ N(5, 1).</summary>
    public sealed class Overflow : IModel
    {
        public static readonly SiteLocation YAt = new("overflow.ppl", 7, 5);
        public string Name => "Overflow";
        public void Run(ModelContext ctx)
        {
            var u = ctx.Sample("u", new Normal(5f, 1f), At);
            ctx.Observe("y", new Normal(Ops.Exp(Ops.Exp(Ops.Exp(u))), 1f), ctx.Constant(Tensor.Scalar(1f)), YAt);
        }
    }

    /// <summary>Deterministic data: n points from a fixed stream.</summary>
    public static float[] Data(int n, double mean, double sd, ulong seed)
    {
        var rng = new Ppl.Runtime.Random.Rng(seed);
        var d = new float[n];
        rng.FillNormal(d, (float)mean, (float)sd);
        return d;
    }
}
