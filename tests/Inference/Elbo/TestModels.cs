using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Elbo;

/// <summary>A model or guide written as a C# lambda.</summary>
sealed class LambdaModel(string name, Action<ModelContext> run) : IModel
{
    public string Name => name;
    public void Run(ModelContext context) => run(context);
}

static class TestModels
{
    public static readonly SiteLocation At = SiteLocation.None;

    public static Var Real(ModelContext c, string name, float init) => c.Param(name, () => Tensor.Scalar(init), Constraint.Real, At);
    public static Var Positive(ModelContext c, string name, float init) => c.Param(name, () => Tensor.Scalar(init), Constraint.Positive, At);
    public static Var Vector(ModelContext c, string name, float[] init, Constraint constraint) =>
        c.Param(name, () => Tensor.FromArray(init, init.Length), constraint, At);

    /// <summary>mu ~ N(0, 1); x_i ~ N(mu, 1) in plate n: the Normal–Normal model.</summary>
    public static LambdaModel NormalModel(float[] xs) => new("normal", c =>
    {
        var mu = c.Sample("mu", new Ppl.Runtime.Distributions.Normal(0f, 1f), At);
        using var plate = c.Plate("n", xs.Length, null, At);
        c.Observe("x", new Ppl.Runtime.Distributions.Normal(Ops.BroadcastTo(mu, xs.Length), 1f), c.Constant(Tensor.FromArray(xs, xs.Length)), At);
    });

    /// <summary>mu ~ N(m, s²) with learnable m and s (initialised at the given values).</summary>
    public static LambdaModel NormalGuide(float m, float s) => new("normal_guide", c =>
        c.Sample("mu", new Ppl.Runtime.Distributions.Normal(Real(c, "m", m), Positive(c, "s", s)), At));

    /// <summary>The Normal–Normal fixture of the ELBO and estimator tests: five observations, guide at N(0.3, 0.5²).</summary>
    public static class NormalNormal
    {
        public static readonly float[] Xs = [0.8f, 1.9f, -0.3f, 1.2f, 0.6f];
        public const float M = 0.3f, S = 0.5f;
        public static readonly LambdaModel Model = NormalModel(Xs);
        public static readonly LambdaModel Guide = NormalGuide(M, S);
    }

    /// <summary>Sample standard deviation.</summary>
    public static double Sd(IReadOnlyList<double> xs)
    {
        double m = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / (xs.Count - 1));
    }

    public static double Variance(IReadOnlyList<double> xs) => Sd(xs) * Sd(xs);

    /// <summary>log N(x; m, s²) in double, for analytic expectations.</summary>
    public static double LogNormal(double x, double m, double s) => -0.5 * Math.Log(2 * Math.PI) - Math.Log(s) - 0.5 * (x - m) * (x - m) / (s * s);

    /// <summary>∂ELBO/∂<paramref name="parameter"/> at its initial value, once per step (never applied).</summary>
    public static List<double[]> Gradients(Ppl.Inference.Elbo.TraceElbo elbo, IModel model, IModel guide, string parameter, int steps, ulong seed)
    {
        var store = new Ppl.Runtime.Params.ParamStore();
        var tape = new Tape();
        var rng = new Ppl.Runtime.Random.Rng(seed);
        var draws = new List<double[]>();
        for (int s = 0; s < steps; s++)
        {
            tape.Reset();
            store.ZeroGrad();
            elbo.Step(model, guide, store, tape, rng);
            draws.Add(store[parameter].Unconstrained.Grad!.ToArray().Select(g => -(double)g).ToArray());
        }
        return draws;
    }
}

/// <summary>A fit loop as the brief lists it: reset the tape, estimate, step.</summary>
static class TestFit
{
    public static Ppl.Runtime.Params.ParamStore Fit(IModel model, IModel guide, Ppl.Inference.Elbo.ElboOptions options, int steps, float lr, ulong seed)
    {
        var elbo = new Ppl.Inference.Elbo.TraceElbo(options);
        var store = new Ppl.Runtime.Params.ParamStore();
        var tape = new Tape();
        var rng = new Ppl.Runtime.Random.Rng(seed);
        var adam = new Ppl.Inference.Optimizers.Adam(lr);
        for (int i = 0; i < steps; i++)
        {
            // Decay the step size over the last half so the final iterate settles (a few hundred steps in all).
            if (i > steps / 2) adam.LearningRate = lr * MathF.Pow(0.02f, (i - steps / 2f) / (steps / 2f));
            tape.Reset();
            store.ZeroGrad();
            elbo.Step(model, guide, store, tape, rng);
            adam.Step(store.Leaves);
        }
        return store;
    }

    /// <summary>A parameter's constrained value.</summary>
    public static float[] Value(Ppl.Runtime.Params.ParamStore store, string name, Constraint constraint) =>
        store.Get(name, () => throw new InvalidOperationException(name), constraint, null).Value.ToArray();
}
