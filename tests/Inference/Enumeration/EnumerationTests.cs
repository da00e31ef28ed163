using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Inference.Posterior;
using Ppl.Inference.Tests.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;

namespace Ppl.Inference.Tests.Enumeration;

public class EnumerationTests
{
    static readonly float[] Xs = [-2.1f, -1.7f, -2.4f, 1.9f, 2.2f, 0.1f, 2.6f, -1.2f];
    const float Sigma = 0.8f, Weight = 0.3f;
    static readonly LambdaModel Empty = new("empty", _ => { });

    /// <summary>mu[2] learnable; plate n: z ~ Bernoulli(0.3), x ~ N(mu[z], 0.8) (the gather form). The guide samples nothing.</summary>
    static LambdaModel Mixture(float[] xs) => new("mixture", c =>
    {
        var mu = Vector(c, "mu", [-1f, 1f], Constraint.Real);
        int n = xs.Length;
        using var plate = c.Plate("n", n, null, At);
        var z = c.Sample("z", new Bernoulli(Weight), [n], At);
        c.Observe("x", new Normal(Ops.Gather(mu, z), Sigma), c.Constant(Tensor.FromArray(xs, n)), At);
    });

    [Fact]
    public void Step_BernoulliMixtureInPlate_ElboIsExactLogMarginalAndGradientHasZeroVariance()
    {
        double[] mu = [-1, 1];
        double logp = 0;
        var grad = new double[2];
        foreach (double x in Xs)
        {
            double a = Math.Log(1 - Weight) + LogNormal(x, mu[0], Sigma), b = Math.Log(Weight) + LogNormal(x, mu[1], Sigma);
            double m = Math.Max(a, b), lse = m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
            logp += lse;
            grad[0] += Math.Exp(a - lse) * (x - mu[0]) / (Sigma * Sigma);
            grad[1] += Math.Exp(b - lse) * (x - mu[1]) / (Sigma * Sigma);
        }
        var elbo = new TraceElbo();
        var store = new ParamStore();
        var tape = new Tape();
        for (ulong seed = 1; seed <= 3; seed++)
        {
            tape.Reset();
            store.ZeroGrad();
            var step = elbo.Step(Mixture(Xs), Empty, store, tape, new Rng(seed));
            Assert.Equal(logp, step.Elbo, 3);   // float32 sums of 8 terms: 1e-3 is far above rounding
            var g = store["mu"].Unconstrained.Grad!.ToArray();
            // Exact: every seed gives the same gradient, the analytic one (no Monte Carlo error at all).
            Assert.Equal(grad[0], -g[0], 3);
            Assert.Equal(grad[1], -g[1], 3);
        }
        Assert.Contains(elbo.Estimators, e => e.Site == "z" && e.Kind == EstimatorKind.Enumerate);
    }

    /// <summary>200 points from 0.3·N(2, 0.8²) + 0.7·N(−2, 0.8²) and the model mu[2] ~ N(0, 5); plate n: z ~ Bernoulli(0.3), x ~ N(mu[z], 0.8).</summary>
    internal static LambdaModel FitMixture(out int n)
    {
        var rng = new Rng(7);
        var xs = new float[n = 200];
        for (int i = 0; i < xs.Length; i++) xs[i] = (rng.NextDouble() < Weight ? 2f : -2f) + Sigma * (float)rng.Normal();
        return new LambdaModel("mixture", c =>
        {
            var mu = c.Sample("mu", new Normal(0f, 5f).Expand([2]), At);
            using var plate = c.Plate("n", xs.Length, null, At);
            var z = c.Sample("z", new Bernoulli(Weight), [xs.Length], At);
            c.Observe("x", new Normal(Ops.Gather(mu, z), Sigma), c.Constant(Tensor.FromArray(xs, xs.Length)), At);
        });
    }

    /// <summary>The mean-field guide of <see cref="FitMixture"/>'s means: mu ~ N(m, s²), m starting at ±0.5.</summary>
    internal static void MixtureMeansGuide(Runtime.Sites.ModelContext c) =>
        c.Sample("mu", new Normal(Vector(c, "m", [-0.5f, 0.5f], Constraint.Real), Vector(c, "s", [0.5f, 0.5f], Constraint.Positive)), At);

    /// <summary>The fitted means are the clusters' (−2 and 2).</summary>
    internal static void AssertMixtureMeans(ParamStore store)
    {
        var m = store["m"].Unconstrained.Value.ToArray();
        // The posterior sd of each mean is about 0.8/sqrt(n_k) ≈ 0.1 (n_k ≈ 60 and 140); 0.3 is three of them.
        Assert.InRange(m[0], -2.3f, -1.7f);
        Assert.InRange(m[1], 1.7f, 2.3f);
    }

    /// <summary>mu[2] ~ N(0, 5) sampled by a mean-field guide; enumeration of z recovers both means.</summary>
    [Fact]
    public void Fit_BernoulliMixtureEnumerated_RecoversComponentMeans() =>
        AssertMixtureMeans(TestFit.Fit(FitMixture(out _), new LambdaModel("guide", MixtureMeansGuide), new ElboOptions(), 400, 0.05f, 3));

    /// <summary>
    /// A K-state HMM as examples/hmm writes it (each state indexes the transition matrix and the means as an int):
    /// z[0] ~ Categorical(init); y[0] ~ N(mu[z[0]], s); z[t] ~ Categorical(A[z[t−1]]); y[t] ~ N(mu[z[t]], s).
    /// </summary>
    static LambdaModel Hmm(float[] ys, float[,] a, float[] mu, float s) => new("hmm", c =>
    {
        int k = mu.Length;
        var trans = c.Constant(Tensor.FromArray(Flatten(a), k, k));
        var means = c.Constant(Tensor.FromArray(mu, k));
        var init = c.Constant(Tensor.FromArray(Enumerable.Repeat(1f / k, k).ToArray(), k));
        var z = c.Sample("z[0]", Categorical.FromProbs(init), At);
        c.Observe("y[0]", new Normal(Ops.Index(means, 0, ModelSupport.Int(z)), s), c.Constant(Tensor.Scalar(ys[0])), At);
        for (int t = 1; t < ys.Length; t++)
        {
            z = c.Sample($"z[{t}]", Categorical.FromProbs(Ops.Index(trans, 0, ModelSupport.Int(z))), At);
            c.Observe($"y[{t}]", new Normal(Ops.Index(means, 0, ModelSupport.Int(z)), s), c.Constant(Tensor.Scalar(ys[t])), At);
        }
    });


    static float[] Flatten(float[,] a) => a.Cast<float>().ToArray();

    static readonly float[,] A = { { 0.8f, 0.15f, 0.05f }, { 0.1f, 0.8f, 0.1f }, { 0.2f, 0.1f, 0.7f } };
    static readonly float[] Mu = [-2f, 0f, 2.5f];
    const float S = 1.1f;

    static float[] HmmData(int t, ulong seed)
    {
        var rng = new Rng(seed);
        var ys = new float[t];
        int z = 0;
        for (int i = 0; i < t; i++)
        {
            if (i > 0)
            {
                double u = rng.NextDouble();
                int j = 0;
                while (j < 2 && (u -= A[z, j]) > 0) j++;
                z = j;
            }
            ys[i] = Mu[z] + S * (float)rng.Normal();
        }
        return ys;
    }

    /// <summary>Forward and backward log messages in double: alpha[t, k] = log p(y[0..t], z[t] = k), beta[t, k] = log p(y[t+1..] | z[t] = k).</summary>
    static (double[,] Alpha, double[,] Beta) ForwardBackward(float[] ys)
    {
        int t = ys.Length, k = Mu.Length;
        var alpha = new double[t, k];
        var beta = new double[t, k];
        for (int j = 0; j < k; j++) alpha[0, j] = Math.Log(1.0 / k) + LogNormal(ys[0], Mu[j], S);
        for (int i = 1; i < t; i++)
            for (int j = 0; j < k; j++)
                alpha[i, j] = Lse(Enumerable.Range(0, k).Select(p => alpha[i - 1, p] + Math.Log(A[p, j]))) + LogNormal(ys[i], Mu[j], S);
        for (int i = t - 2; i >= 0; i--)
            for (int p = 0; p < k; p++)
                beta[i, p] = Lse(Enumerable.Range(0, k).Select(j => Math.Log(A[p, j]) + LogNormal(ys[i + 1], Mu[j], S) + beta[i + 1, j]));
        return (alpha, beta);
    }

    static double Lse(IEnumerable<double> xs)
    {
        var a = xs.ToArray();
        double m = a.Max();
        return m + Math.Log(a.Sum(x => Math.Exp(x - m)));
    }

    [Fact]
    public void Evaluate_Hmm_EqualsForwardAlgorithmInDouble()
    {
        var ys = HmmData(50, 11);
        var (alpha, _) = ForwardBackward(ys);
        double exact = Lse(Enumerable.Range(0, Mu.Length).Select(j => alpha[ys.Length - 1, j]));
        double value = new TraceElbo().Evaluate(Hmm(ys, A, Mu, S), Empty, new ParamStore(), new Rng(1));
        // 3^50 paths: only the forward contraction can produce this; float32 over 50 steps keeps ~1e-4 relative.
        Assert.Equal(exact, value, Math.Abs(exact) * 2e-4);
    }

    [Fact]
    public void Draw_Hmm_FrequenciesMatchForwardBackwardMarginals()
    {
        var ys = HmmData(12, 5);
        var (alpha, beta) = ForwardBackward(ys);
        int t = ys.Length, k = Mu.Length, draws = 2000;
        var counts = new int[t, k];
        var rng = new Rng(21);
        var model = Hmm(ys, A, Mu, S);
        for (int d = 0; d < draws; d++)
        {
            var (_, discrete) = EnumeratedPosterior.Draw(model, Empty, new ParamStore(), rng);
            for (int i = 0; i < t; i++) counts[i, (int)discrete[$"z[{i}]"].ToScalar()]++;
        }
        for (int i = 0; i < t; i++)
        {
            double norm = Lse(Enumerable.Range(0, k).Select(j => alpha[i, j] + beta[i, j]));
            for (int j = 0; j < k; j++)
            {
                double p = Math.Exp(alpha[i, j] + beta[i, j] - norm);
                // Binomial standard error of a frequency from 2000 draws; 4.5 SE keeps 36 comparisons well clear of chance failures.
                double se = Math.Sqrt(p * (1 - p) / draws);
                Assert.InRange((double)counts[i, j] / draws, p - 4.5 * se - 1e-3, p + 4.5 * se + 1e-3);
            }
        }
    }

    /// <summary>plate g in 3: z[g] ~ Bernoulli(0.4); plate m in 4 (nested): y[g, m] ~ N(mu[z[g]], 1). Enumeration sums the inner plate before the outer.</summary>
    [Fact]
    public void Evaluate_SiteInOuterPlateWithNestedObservations_EqualsHandSum()
    {
        float[,] y = { { -1f, -1.5f, -0.5f, -1.2f }, { 1f, 0.7f, 1.3f, 2f }, { 0.1f, -0.3f, 0.4f, 0f } };
        float[] mu = [-1f, 1f];
        var model = new LambdaModel("nested", c =>
        {
            var means = c.Constant(Tensor.FromArray(mu, 2));
            using var outer = c.Plate("g", 3, null, At);
            var z = c.Sample("z", new Bernoulli(0.4f), [3], At);
            var loc = Ops.Reshape(Ops.Gather(means, z), 3, 1);
            using var inner = c.Plate("m", 4, null, At);
            c.Observe("y", new Normal(Ops.BroadcastTo(loc, 3, 4), 1f), c.Constant(Tensor.FromArray(Flatten(y), 3, 4)), At);
        });
        double exact = 0;
        for (int g = 0; g < 3; g++)
            exact += Lse(Enumerable.Range(0, 2).Select(k => Math.Log(k == 1 ? 0.4 : 0.6) + Enumerable.Range(0, 4).Sum(m => LogNormal(y[g, m], mu[k], 1))));
        Assert.Equal(exact, new TraceElbo().Evaluate(model, Empty, new ParamStore(), new Rng(1)), 3);
        var (_, discrete) = EnumeratedPosterior.Draw(model, Empty, new ParamStore(), new Rng(2));
        Assert.Equal([3], discrete["z"].Shape);
        // Exact posterior draws: P(z[g] = 1 | y[g]) ∝ 0.4 Π_m N(y[g, m] | 1, 1), independent over g.
        AssertDrawFrequencies(model, 3, g =>
        {
            double a = Math.Log(0.6) + Enumerable.Range(0, 4).Sum(m => LogNormal(y[g, m], mu[0], 1));
            double b = Math.Log(0.4) + Enumerable.Range(0, 4).Sum(m => LogNormal(y[g, m], mu[1], 1));
            return Math.Exp(b - Lse([a, b]));
        });
    }

    /// <summary>
    /// plate g in 3 { plate m in 4 { z[g, m] ~ Bernoulli(p[g]); y[g, m] ~ N(mu[z[g, m]], 1) } }: the site itself sits in
    /// the inner plate, so each (g, m) is summed out on its own and drawn from its own posterior.
    /// </summary>
    [Fact]
    public void EvaluateAndDraw_SiteInNestedPlate_EqualsHandSumAndPerElementPosterior()
    {
        float[,] y = { { -1f, 0.2f, -0.5f, 1.2f }, { 1f, -0.7f, 0.3f, 2f }, { 0.1f, -1.3f, 0.4f, 0f } };
        float[] mu = [-1f, 1f], p = [0.2f, 0.5f, 0.7f];
        var model = new LambdaModel("nested-site", c =>
        {
            var means = c.Constant(Tensor.FromArray(mu, 2));
            var probs = c.Constant(Tensor.FromArray(p, 3, 1));
            using var outer = c.Plate("g", 3, null, At);
            using var inner = c.Plate("m", 4, null, At);
            var z = c.Sample("z", new Bernoulli(Ops.BroadcastTo(probs, 3, 4)), [3, 4], At);
            c.Observe("y", new Normal(Ops.Gather(means, z), 1f), c.Constant(Tensor.FromArray(Flatten(y), 3, 4)), At);
        });
        (double Off, double On) Joint(int g, int m) =>
            (Math.Log(1 - p[g]) + LogNormal(y[g, m], mu[0], 1), Math.Log(p[g]) + LogNormal(y[g, m], mu[1], 1));
        double exact = 0;
        for (int g = 0; g < 3; g++)
            for (int m = 0; m < 4; m++)
            {
                var (a, b) = Joint(g, m);
                exact += Lse([a, b]);
            }
        Assert.Equal(exact, new TraceElbo().Evaluate(model, Empty, new ParamStore(), new Rng(1)), 3);
        AssertDrawFrequencies(model, 12, i =>
        {
            var (a, b) = Joint(i / 4, i % 4);
            return Math.Exp(b - Lse([a, b]));
        });
    }

    /// <summary>Frequencies of z = 1 over 2000 exact posterior draws, element by element (row-major), against <paramref name="exact"/>.</summary>
    static void AssertDrawFrequencies(LambdaModel model, int elements, Func<int, double> exact)
    {
        const int draws = 2000;
        var ones = new int[elements];
        var rng = new Rng(31);
        for (int d = 0; d < draws; d++)
        {
            var z = EnumeratedPosterior.Draw(model, Empty, new ParamStore(), rng).Discrete["z"].ToArray();
            Assert.Equal(elements, z.Length);
            for (int i = 0; i < elements; i++) ones[i] += (int)z[i];
        }
        for (int i = 0; i < elements; i++)
        {
            double q = exact(i);
            // Binomial standard error of a frequency from 2000 draws; 4.5 SE keeps 12 comparisons well clear of chance failures.
            double se = Math.Sqrt(q * (1 - q) / draws);
            Assert.InRange((double)ones[i] / draws, q - 4.5 * se - 1e-3, q + 4.5 * se + 1e-3);
        }
    }

    [Fact]
    public void Step_SiteOutsidePlateDependsOnEnumeratedSiteInside_LocatedErrorNamesBoth()
    {
        var model = new LambdaModel("bad", c =>
        {
            Var z;
            using (c.Plate("n", 3, null, At)) z = c.Sample("z", new Bernoulli(0.5f), [3], At);
            c.Observe("total", new Normal(Ops.Sum(z), 1f), c.Constant(Tensor.Scalar(1f)), At);
        });
        var e = Assert.Throws<EstimatorException>(() => new TraceElbo().Step(model, Empty, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'total'", e.Message);
        Assert.Contains("'z'", e.Message);
    }

    [Fact]
    public void Step_TermOnTwoEnumeratedSites_LocatedErrorNamesBoth()
    {
        var model = new LambdaModel("bad", c =>
        {
            var a = c.Sample("a", new Bernoulli(0.5f), At);
            var b = c.Sample("b", new Bernoulli(0.5f), At);
            c.Observe("x", new Normal(Ops.Add(a, b), 1f), c.Constant(Tensor.Scalar(1f)), At);
        });
        var e = Assert.Throws<EstimatorException>(() => new TraceElbo().Step(model, Empty, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'a'", e.Message);
        Assert.Contains("'b'", e.Message);
    }
}
