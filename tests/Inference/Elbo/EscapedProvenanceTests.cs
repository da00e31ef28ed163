using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;

namespace Ppl.Inference.Tests.Elbo;

/// <summary>A discrete value turned into an int for indexing loses its provenance; its site is then charged every term after it.</summary>
public class EscapedProvenanceTests
{
    // v ~ N(0, 1) first; z ~ Bernoulli(0.5); x ~ N(mus[int z], 1): x's term has no provenance of z (an int index).
    static readonly LambdaModel Model = new("escape", c =>
    {
        c.Sample("v", new Normal(0f, 1f), At);
        var z = c.Sample("z", new Bernoulli(0.5f), At);
        var mean = Ops.Index(c.Constant(Tensor.Vector(-1f, 2f)), 0, ModelSupport.Int(z));
        c.Observe("x", new Normal(mean, 1f), c.Constant(Tensor.Scalar(1.5f)), At);
    });

    static readonly LambdaModel Guide = new("escape_guide", c =>
    {
        c.Sample("v", new Normal(0f, 3f), At);
        c.Sample("z", Bernoulli.FromLogits(Real(c, "theta", 0.4f)), At);
    });

    [Fact]
    public void Step_IntIndexedDiscreteSite_ChargedEveryLaterTermNotEarlierOnes()
    {
        var elbo = new TraceElbo(new ElboOptions { Baseline = BaselineKind.None, AnalyticKl = false });
        var store = new ParamStore();
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var tape = new Tape();
            store.ZeroGrad();
            var step = elbo.Step(Model, Guide, store, tape, new Rng(seed));
            var g = step.GuideTrace;
            var m = step.ModelTrace;
            double z = g["z"].Value!.ToScalar(), sigma = 1 / (1 + Math.Exp(-0.4));
            // x's term is kept (never dropped silently); v's terms come before z in both programs and are not charged.
            double cost = m["z"].LogProb.ToScalar() + m["x"].LogProb.ToScalar() - g["z"].LogProb.ToScalar();
            Assert.Equal((z - sigma) * (cost - 1), -store["theta"].Unconstrained.Grad!.ToScalar(), 4);
        }
    }
}
