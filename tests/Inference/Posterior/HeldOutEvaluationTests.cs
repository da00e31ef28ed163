using Ppl.Inference.Posterior;
using Ppl.Inference.Tests.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;

namespace Ppl.Inference.Tests.Posterior;

public class HeldOutEvaluationTests
{
    static readonly float[] Xs = [0.8f, 1.9f, -0.3f, 1.2f, 0.6f, -1.1f, 2.4f];

    // z_i ~ N(0, 1); x_i ~ N(z_i, 1), in a plate of 7 subsampled 3 at a time (chunks of 3, 3 and 1).
    static readonly LambdaModel Model = new("local", c =>
    {
        using var plate = c.Plate("n", Xs.Length, 3, At);
        var z = c.Sample("z", new Normal(0f, 1f), [plate.Size], At);
        c.Observe("x", new Normal(z, 1f), Ops.Gather(c.Constant(Tensor.FromArray(Xs, Xs.Length)), plate.Indices), At);
    });

    // The exact posterior q(z_i) = N(x_i / 2, √½): every log weight log p(x_i, z) − log q(z) is log p(x_i) exactly.
    static readonly LambdaModel ExactGuide = new("exact", c =>
    {
        using var plate = c.Plate("n", Xs.Length, 3, At);
        var half = Ops.Mul(Ops.Gather(c.Constant(Tensor.FromArray(Xs, Xs.Length)), plate.Indices), 0.5f);
        c.Sample("z", new Normal(half, MathF.Sqrt(0.5f)), At);
    });

    static double LogEvidence => Xs.Sum(x => -0.5 * Math.Log(2 * Math.PI * 2) - x * x / 4.0);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Run_SubsampledPlateWithExactGuide_SweepsEveryElementOnce(int particles)
    {
        var figures = HeldOutEvaluation.Run(Model, ExactGuide, new ParamStore(), new Rng(3), particles);
        Assert.Equal("n", figures.Swept);
        Assert.Equal(Xs.Length, figures.Points, 3);
        // With zero-variance weights both figures are Σ_i log p(x_i) whatever the draws (float sums: 1e-4 relative);
        // a missed or repeated element, or a minibatch scaled up, would be off by a whole log p(x_i), about 1.3 nats or more.
        Assert.Equal(LogEvidence, figures.Elbo, 1e-4 * Math.Abs(LogEvidence));
        Assert.Equal(LogEvidence, figures.Bound, 1e-4 * Math.Abs(LogEvidence));
    }
}
