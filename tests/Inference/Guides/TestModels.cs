using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Guides;

/// <summary>Small hand-written models (the test project does not reference the language).</summary>
static class TestModels
{
    static readonly SiteLocation At = new("test.ppl", 1, 1);

    /// <summary>One of every support an automatic guide maps: real, positive (closed-form and sampled medians), interval, simplex, vector.</summary>
    public sealed class Supports : IModel
    {
        public string Name => "Supports";
        public void Run(ModelContext ctx)
        {
            var mu = ctx.Sample("mu", new Normal(3f, 2f), At);
            ctx.Sample("tau", new HalfCauchy(5f), At);
            ctx.Sample("g", new Gamma(2f, 1f), At);
            ctx.Sample("p", new Beta(2f, 2f), At);
            ctx.Sample("w", new Dirichlet(Var.Const(Tensor.Full(1f, 3))), At);
            ctx.Sample("theta", new Normal(mu, 1f), [4], At);
        }
    }

    /// <summary>Two real scalars a, b ~ Normal(0, 1) (for hand-computed joint log q).</summary>
    public sealed class TwoReals : IModel
    {
        public string Name => "TwoReals";
        public void Run(ModelContext ctx)
        {
            ctx.Sample("a", new Normal(0f, 1f), At);
            ctx.Sample("b", new Normal(0f, 1f), [2], At);
        }
    }

    /// <summary>A global mean and a local z[n] in a plate of 10 subsampled to 3, with observations.</summary>
    public sealed class Subsampled : IModel
    {
        public string Name => "Subsampled";
        public void Run(ModelContext ctx)
        {
            var mu = ctx.Sample("mu", new Normal(0f, 1f), At);
            using var plate = ctx.Plate("n", 10, 3, At);
            var z = ctx.Sample("z", new Normal(mu, 1f), [plate.Size], At);
            ctx.Observe("x", new Normal(z, 1f), Var.Const(Tensor.Zeros(plate.Size)), At);
        }
    }

    /// <summary>A Bernoulli and a Categorical latent.</summary>
    public sealed class Discrete : IModel
    {
        public string Name => "Discrete";
        public void Run(ModelContext ctx)
        {
            ctx.Sample("c", Bernoulli.FromProbs(0.3f), [2], At);
            ctx.Sample("k", Categorical.FromProbs(Var.Const(new Tensor([0.2f, 0.5f, 0.3f], 3))), At);
            ctx.Sample("m", new Normal(0f, 1f), At);
        }
    }

    /// <summary>A mixture's exchangeable means beside a discrete assignment in a plate (with: true), or alone.</summary>
    public sealed class TiedMeans(bool withAssignment) : IModel
    {
        public string Name => "TiedMeans";
        public void Run(ModelContext ctx)
        {
            var mu = ctx.Sample("mu", new Normal(0f, 10f), [3], At);
            if (!withAssignment) return;
            using var plate = ctx.Plate("n", 4, null, At);
            ctx.Sample("z", Categorical.FromProbs(Var.Const(new Tensor([0.2f, 0.5f, 0.3f], 3))), [4], At);
        }
    }
    /// <summary>
    /// Eight schools' shape written non-centred, with the compiler's hint: mu, tau, r[3] ~ Normal(0, 1) used only as
    /// mu + tau * r. <see cref="LateInput"/> draws tau after r instead (the guide cannot use the hint then).
    /// </summary>
    public sealed class NonCentred(bool lateInput = false) : IModel
    {
        static readonly LocScaleUse Use = new(["mu", "tau"], static v => (v[0], v[1]), "mu + tau * r");

        public string Name => "NonCentred";
        public void Run(ModelContext ctx)
        {
            var mu = ctx.Sample("mu", new Normal(0f, 5f), At);
            var tau = lateInput ? null : ctx.Sample("tau", new HalfNormal(2f), At);
            var r = ctx.Sample("r", new Normal(0f, 1f), [3], At, Use);
            tau ??= ctx.Sample("tau", new HalfNormal(2f), At);
            ctx.Observe("y", new Normal(mu + tau * r, 1f), Var.Const(new Tensor([1f, 2f, 4f], 3)), At);
        }
    }
}
