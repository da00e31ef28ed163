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

    /// <summary>Sample standard deviation.</summary>
    public static double Sd(IReadOnlyList<double> xs)
    {
        double m = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / (xs.Count - 1));
    }

    public static double Variance(IReadOnlyList<double> xs) => Sd(xs) * Sd(xs);
}
