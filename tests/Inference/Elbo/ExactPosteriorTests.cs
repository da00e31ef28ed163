using Ppl.Inference.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;
using static Ppl.Inference.Tests.Elbo.TestFit;

namespace Ppl.Inference.Tests.Elbo;

/// <summary>
/// Conjugate models fitted with a written guide of the posterior's own family (Gamma, Beta and Dirichlet guides use
/// the runtime's implicit-reparameterization RSample): the fitted mean must be within 0.1 posterior sd of the exact
/// posterior mean and the fitted sd within 10% of the exact sd. The optimum of the ELBO is the exact posterior, so the
/// only error is the last iterate's noise, which the decaying step size keeps well under these bounds.
/// </summary>
public class ExactPosteriorTests
{
    static void AssertClose(double mean, double sd, double fittedMean, double fittedSd)
    {
        Assert.InRange(fittedMean, mean - 0.1 * sd, mean + 0.1 * sd);
        Assert.InRange(fittedSd, 0.9 * sd, 1.1 * sd);
    }

    [Fact]
    public void Fit_NormalNormal_RecoversPosterior()
    {
        float[] xs = [0.8f, 1.9f, -0.3f, 1.2f, 0.6f];
        var model = NormalModel(xs);
        var guide = NormalGuide(0f, 1f);
        var store = Fit(model, guide, new ElboOptions { Particles = 4 }, 1500, 0.05f, 1);
        // Posterior precision 1 + n, mean Σx / (1 + n).
        AssertClose(xs.Sum() / 6.0, 1 / Math.Sqrt(6), Value(store, "m", Constraint.Real)[0], Value(store, "s", Constraint.Positive)[0]);
    }

    [Fact]
    public void Fit_BetaBernoulli_RecoversPosterior()
    {
        float[] xs = [1, 0, 1, 1, 1, 0, 1, 1, 0, 1];
        var model = new LambdaModel("m", c =>
        {
            var p = c.Sample("p", new Beta(2f, 2f), At);
            using var plate = c.Plate("n", xs.Length, null, At);
            c.Observe("x", new Bernoulli(Ops.BroadcastTo(p, xs.Length)), c.Constant(Tensor.FromArray(xs, xs.Length)), At);
        });
        var guide = new LambdaModel("g", c => c.Sample("p", new Beta(Positive(c, "a", 1f), Positive(c, "b", 1f)), At));
        var store = Fit(model, guide, new ElboOptions { Particles = 4 }, 1500, 0.05f, 2);
        double a = Value(store, "a", Constraint.Positive)[0], b = Value(store, "b", Constraint.Positive)[0];
        // Posterior Beta(2 + 7, 2 + 3).
        AssertClose(9 / 14.0, Math.Sqrt(9 * 5 / (14.0 * 14 * 15)), a / (a + b), Math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1))));
    }

    [Fact]
    public void Fit_GammaPoisson_RecoversPosterior()
    {
        float[] ys = [3, 5, 2, 4, 6, 3, 4, 5];
        var model = new LambdaModel("m", c =>
        {
            var rate = c.Sample("rate", new Gamma(2f, 1f), At);
            using var plate = c.Plate("n", ys.Length, null, At);
            c.Observe("y", new Poisson(Ops.BroadcastTo(rate, ys.Length)), c.Constant(Tensor.FromArray(ys, ys.Length)), At);
        });
        var guide = new LambdaModel("g", c => c.Sample("rate", new Gamma(Positive(c, "a", 1f), Positive(c, "b", 1f)), At));
        // The sd moves along a flat ridge (α/β fixed): a larger step size gets there within the budget.
        var store = Fit(model, guide, new ElboOptions { Particles = 4 }, 1500, 0.1f, 3);
        double a = Value(store, "a", Constraint.Positive)[0], b = Value(store, "b", Constraint.Positive)[0];
        // Posterior Gamma(2 + Σy, 1 + n) = Gamma(34, 9).
        AssertClose(34 / 9.0, Math.Sqrt(34) / 9, a / b, Math.Sqrt(a) / b);
    }

    [Fact]
    public void Fit_DirichletCategorical_RecoversPosterior()
    {
        float[] ys = [0, 1, 1, 2, 1, 0, 1, 2, 1, 1, 0, 1];
        var model = new LambdaModel("m", c =>
        {
            var theta = c.Sample("theta", new Dirichlet(Var.Const(Tensor.Full(1f, [3]))), At);
            using var plate = c.Plate("n", ys.Length, null, At);
            c.Observe("y", Categorical.FromProbs(Ops.BroadcastTo(theta, ys.Length, 3)), c.Constant(Tensor.FromArray(ys, ys.Length)), At);
        });
        var guide = new LambdaModel("g", c => c.Sample("theta", new Dirichlet(Vector(c, "conc", [1f, 1f, 1f], Constraint.Positive)), At));
        var store = Fit(model, guide, new ElboOptions { Particles = 4 }, 1500, 0.05f, 4);
        var conc = Value(store, "conc", Constraint.Positive);
        double[] post = [1 + 3, 1 + 7, 1 + 2];
        double a0 = post.Sum(), f0 = conc.Sum();
        for (int i = 0; i < 3; i++)
            AssertClose(post[i] / a0, Math.Sqrt(post[i] * (a0 - post[i]) / (a0 * a0 * (a0 + 1))),
                conc[i] / f0, Math.Sqrt(conc[i] * (f0 - conc[i]) / (f0 * f0 * (f0 + 1))));
    }

    [Fact]
    public void Fit_BayesianLinearRegression_RecoversPosterior()
    {
        // Orthogonal design columns, so the exact posterior of (w0, w1) factorises and a diagonal normal is its family.
        float[] x1 = [-1.5f, -0.5f, 0.5f, 1.5f, -1.5f, -0.5f, 0.5f, 1.5f];
        float[] ys = [-1.2f, 0.3f, 1.1f, 2.9f, -0.8f, 0.1f, 1.6f, 2.4f];
        const float noise = 0.5f;
        int n = ys.Length;
        var design = Tensor.FromArray(x1.SelectMany(x => new[] { 1f, x }).ToArray(), n, 2);
        var model = new LambdaModel("m", c =>
        {
            var w = c.Sample("w", new Normal(0f, 1f), [2], At);
            using var plate = c.Plate("n", n, null, At);
            var mean = Ops.Sum(Ops.Mul(c.Constant(design), Ops.BroadcastTo(w, n, 2)), -1);
            c.Observe("y", new Normal(mean, noise), c.Constant(Tensor.FromArray(ys, n)), At);
        });
        var guide = new LambdaModel("g", c => c.Sample("w", new Normal(Vector(c, "m", [0f, 0f], Constraint.Real), Vector(c, "s", [1f, 1f], Constraint.Positive)), At));
        var store = Fit(model, guide, new ElboOptions { Particles = 4 }, 1500, 0.05f, 5);
        var m = Value(store, "m", Constraint.Real);
        var s = Value(store, "s", Constraint.Positive);
        for (int j = 0; j < 2; j++)
        {
            // Posterior precision 1 + Σ x_j² / σ², mean (Σ x_j y / σ²) / precision (columns orthogonal).
            double xx = 0, xy = 0;
            for (int i = 0; i < n; i++) { double xj = j == 0 ? 1 : x1[i]; xx += xj * xj; xy += xj * ys[i]; }
            double precision = 1 + xx / (noise * noise);
            AssertClose(xy / (noise * noise) / precision, 1 / Math.Sqrt(precision), m[j], s[j]);
        }
    }
}
