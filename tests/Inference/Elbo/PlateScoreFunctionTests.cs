using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;
using static Ppl.Inference.Tests.Elbo.TestFit;

namespace Ppl.Inference.Tests.Elbo;

/// <summary>Score-function sites inside a plate: each element's draw is charged only its own element's terms.</summary>
public class PlateScoreFunctionTests
{
    /// <summary>mu[2] ~ N(0, 5); plate n: z ~ Bernoulli(0.5), x ~ N(mu[z], 0.5). Guide: mean-field normal mu, Bernoulli z per element.</summary>
    static (LambdaModel Model, LambdaModel Guide) Mixture(float[] xs, float[] initMeans)
    {
        int n = xs.Length;
        var model = new LambdaModel("mixture", c =>
        {
            var mu = c.Sample("mu", new Normal(0f, 5f), [2], At);
            using var plate = c.Plate("n", n, null, At);
            var z = c.Sample("z", new Bernoulli(0.5f), [n], At);
            c.Observe("x", new Normal(Ops.Gather(mu, z), 0.5f), c.Constant(Tensor.FromArray(xs, n)), At);
        });
        var guide = new LambdaModel("mixture_guide", c =>
        {
            c.Sample("mu", new Normal(Vector(c, "m", initMeans, Constraint.Real), Vector(c, "s", [0.5f, 0.5f], Constraint.Positive)), At);
            using var plate = c.Plate("n", n, null, At);
            c.Sample("z", Bernoulli.FromLogits(Vector(c, "logits", new float[n], Constraint.Real)), At);
        });
        return (model, guide);
    }

    [Fact]
    public void Step_BernoulliInPlate_EachElementChargedItsOwnTerms()
    {
        float[] xs = [-2.1f, 1.7f, 0.4f];
        var (model, guide) = Mixture(xs, [-1f, 1f]);
        var elbo = new TraceElbo(new ElboOptions { Baseline = BaselineKind.None, AnalyticKl = false });
        var store = new ParamStore();
        var step = elbo.Step(model, guide, store, new Tape(), new Rng(8));
        var grad = store["logits"].Unconstrained.Grad!.ToArray();
        var z = step.GuideTrace["z"].Value!.Value.ToArray();
        var lpz = step.ModelTrace["z"].LogProb.Value.ToArray();
        var lpx = step.ModelTrace["x"].LogProb.Value.ToArray();
        var lqz = step.GuideTrace["z"].LogProb.Value.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            // ∂S/∂logit_i = (z_i − ½)(log p(z_i) + log p(x_i | z_i) − log q(z_i)) − (z_i − ½): element i's terms only.
            double cost = lpz[i] + lpx[i] - lqz[i];
            Assert.Equal((z[i] - 0.5) * (cost - 1), -grad[i], 4);
        }
    }

    [Fact]
    public void Fit_GaussianMixtureWithBernoulliAssignments_RecoversComponentMeans()
    {
        var rng = new Rng(3);
        int n = 30;
        var xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = (i < n / 2 ? -2f : 2f) + 0.5f * (float)rng.Normal();
        var (model, guide) = Mixture(xs, [-0.5f, 0.5f]);
        var store = Fit(model, guide, new ElboOptions(), 1500, 0.05f, 9);
        var m = Value(store, "m", Constraint.Real);
        double low = xs.Take(n / 2).Average(), high = xs.Skip(n / 2).Average();
        // With the assignments learnt, the posterior of each mean is N(cluster mean, 0.5²/15): sd 0.13; allow 0.2.
        Assert.Equal(low, m[0], 0.2);
        Assert.Equal(high, m[1], 0.2);
    }
}
