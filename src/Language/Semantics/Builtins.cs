namespace Ppl.Language.Semantics;

/// <summary>What values a distribution's parameter accepts; constants outside it are rejected at check time.</summary>
public enum Domain { Real, Positive, UnitInterval, NonNegativeInt, PositiveDefinite, LowerCholesky }

/// <summary>One parameter of a distribution or flow: its name, domain, and how many trailing dimensions it consumes as its event (a Dirichlet's concentration: 1, a covariance: 2).</summary>
public sealed record ParamInfo(string Name, Domain Domain, int EventRank = 0);

/// <summary>One way to call a distribution: its parameters in order and the runtime factory that builds it (null: the constructor).</summary>
public sealed record Signature(IReadOnlyList<ParamInfo> Params, string? Factory = null)
{
    /// <summary><c>loc, scale</c></summary>
    public override string ToString() => string.Join(", ", Params.Select(p => p.Name));
}

/// <summary>The set of values a site of a distribution takes.</summary>
public enum SupportKind { Real, Positive, UnitInterval, Interval, Simplex, Boolean, Count, BoundedCount, Category, PositiveDefinite, CorrCholesky, RealVector }

/// <summary>A distribution of the language (docs/language.md §1.7): signatures, support, value kind, event rank, runtime class.</summary>
/// <param name="Name">As written in .ppl.</param>
/// <param name="Signatures">Alternative parameterisations, tried in order (positional arguments bind the first that fits).</param>
/// <param name="Support">The values a site takes (for bounds checks and the guides' transforms).</param>
/// <param name="ValueKind">Int for discrete distributions.</param>
/// <param name="EventRank">Dimensions of one draw (Dirichlet, MVN, RelaxedOneHotCategorical: 1).</param>
/// <param name="Reparameterized">Has a pathwise sampler (the estimator choice is the runtime's, this is for docs and dumps).</param>
/// <param name="RuntimeClass">The <c>Ppl.Runtime.Distributions</c> class, fully qualified.</param>
/// <param name="ObservesReals">Accepts real observations although discrete (Bernoulli: cross-entropy on grey levels).</param>
public sealed record DistributionInfo(string Name, IReadOnlyList<Signature> Signatures, SupportKind Support, ScalarKind ValueKind,
    int EventRank, bool Reparameterized, string RuntimeClass, bool ObservesReals = false);

/// <summary>How a function's result shape follows from its arguments.</summary>
public enum FunctionShape
{
    /// <summary>Same shape as the broadcast arguments.</summary>
    Elementwise,
    /// <summary>Reduces all (per-element) dimensions to a scalar.</summary>
    Reduction,
    /// <summary>Same shape, normalised along the last dimension.</summary>
    LastAxis,
    /// <summary>Inner product of two vectors: a scalar.</summary>
    Dot,
    /// <summary>Swaps the two dimensions of a matrix.</summary>
    Transpose,
    /// <summary>A new real tensor whose shape is the int arguments.</summary>
    Fill,
    /// <summary>The length of the first dimension: an int.</summary>
    Size,
    /// <summary><c>where(cond, a, b)</c>: elementwise choice.</summary>
    Where,
    /// <summary><c>reshape(x, d1, ..., dk)</c>: x's elements in row-major order, in the shape of the int arguments.</summary>
    Reshape,
}

/// <summary>A built-in function: arity, shape rule, result kind (null: the arguments' kind) and the runtime operation it becomes.</summary>
public sealed record FunctionInfo(string Name, int MinArgs, int MaxArgs, FunctionShape Shape, ScalarKind? ResultKind, string RuntimeName, string Summary);

/// <summary>A normalizing flow usable after <c>then</c>: positional layer count, named options.</summary>
public sealed record FlowInfo(string Name, IReadOnlyList<string> Options, string RuntimeClass, string Summary);

/// <summary>
/// The one table of what the language knows by name: distributions, functions, flows, networks, types.
/// The checker resolves names against it, the emitter takes runtime names from it, and the language
/// reference can be generated from it, so the three can never disagree.
/// </summary>
public static class Builtins
{
    const string D = "global::Ppl.Runtime.Distributions.";
    static ParamInfo R(string n) => new(n, Domain.Real);
    static ParamInfo Pos(string n) => new(n, Domain.Positive);
    static ParamInfo Unit(string n) => new(n, Domain.UnitInterval);
    static Signature S(params ParamInfo[] ps) => new(ps);
    static Signature F(string factory, params ParamInfo[] ps) => new(ps, factory);

    /// <summary>Every distribution, by name.</summary>
    public static readonly IReadOnlyDictionary<string, DistributionInfo> Distributions = new DistributionInfo[]
    {
        new("Normal", [S(R("loc"), Pos("scale"))], SupportKind.Real, ScalarKind.Real, 0, true, D + "Normal"),
        new("LogNormal", [S(R("loc"), Pos("scale"))], SupportKind.Positive, ScalarKind.Real, 0, true, D + "LogNormal"),
        new("HalfNormal", [S(Pos("scale"))], SupportKind.Positive, ScalarKind.Real, 0, true, D + "HalfNormal"),
        new("Cauchy", [S(R("loc"), Pos("scale"))], SupportKind.Real, ScalarKind.Real, 0, true, D + "Cauchy"),
        new("HalfCauchy", [S(Pos("scale"))], SupportKind.Positive, ScalarKind.Real, 0, true, D + "HalfCauchy"),
        new("StudentT", [S(Pos("df"), R("loc"), Pos("scale"))], SupportKind.Real, ScalarKind.Real, 0, true, D + "StudentT"),
        new("Laplace", [S(R("loc"), Pos("scale"))], SupportKind.Real, ScalarKind.Real, 0, true, D + "Laplace"),
        new("Logistic", [S(R("loc"), Pos("scale"))], SupportKind.Real, ScalarKind.Real, 0, true, D + "Logistic"),
        new("Gumbel", [S(R("loc"), Pos("scale"))], SupportKind.Real, ScalarKind.Real, 0, true, D + "Gumbel"),
        new("Exponential", [S(Pos("rate"))], SupportKind.Positive, ScalarKind.Real, 0, true, D + "Exponential"),
        new("Gamma", [S(Pos("shape"), Pos("rate"))], SupportKind.Positive, ScalarKind.Real, 0, true, D + "Gamma"),
        new("InverseGamma", [S(Pos("shape"), Pos("scale"))], SupportKind.Positive, ScalarKind.Real, 0, true, D + "InverseGamma"),
        new("Beta", [S(Pos("a"), Pos("b"))], SupportKind.UnitInterval, ScalarKind.Real, 0, true, D + "Beta"),
        new("Uniform", [S(R("low"), R("high"))], SupportKind.Interval, ScalarKind.Real, 0, true, D + "Uniform"),
        new("Dirichlet", [S(new ParamInfo("concentration", Domain.Positive, 1))], SupportKind.Simplex, ScalarKind.Real, 1, true, D + "Dirichlet"),
        new("MultivariateNormal",
            [S(new ParamInfo("loc", Domain.Real, 1), new ParamInfo("cov", Domain.PositiveDefinite, 2)),
             F("FromScaleTril", new ParamInfo("loc", Domain.Real, 1), new ParamInfo("scale_tril", Domain.LowerCholesky, 2))],
            SupportKind.RealVector, ScalarKind.Real, 1, true, D + "MultivariateNormal"),
        new("Bernoulli", [F("FromProbs", Unit("probs")), F("FromLogits", R("logits"))], SupportKind.Boolean, ScalarKind.Int, 0, false, D + "Bernoulli", ObservesReals: true),
        new("Categorical", [F("FromProbs", new ParamInfo("probs", Domain.Positive, 1)), F("FromLogits", new ParamInfo("logits", Domain.Real, 1))],
            SupportKind.Category, ScalarKind.Int, 0, false, D + "Categorical"),
        new("Binomial", [F("FromProbs", new ParamInfo("n", Domain.NonNegativeInt), Unit("probs")), F("FromLogits", new ParamInfo("n", Domain.NonNegativeInt), R("logits"))],
            SupportKind.BoundedCount, ScalarKind.Int, 0, false, D + "Binomial"),
        new("Poisson", [S(Pos("rate"))], SupportKind.Count, ScalarKind.Int, 0, false, D + "Poisson"),
        new("Geometric", [S(Unit("probs"))], SupportKind.Count, ScalarKind.Int, 0, false, D + "Geometric"),
        new("NegativeBinomial", [S(Pos("total"), Unit("probs"))], SupportKind.Count, ScalarKind.Int, 0, false, D + "NegativeBinomial"),
        new("RelaxedBernoulli", [F("FromProbs", Pos("temperature"), Unit("probs")), F("FromLogits", Pos("temperature"), R("logits"))],
            SupportKind.UnitInterval, ScalarKind.Real, 0, true, D + "RelaxedBernoulli"),
        new("RelaxedOneHotCategorical",
            [F("FromProbs", Pos("temperature"), new ParamInfo("probs", Domain.Positive, 1)), F("FromLogits", Pos("temperature"), new ParamInfo("logits", Domain.Real, 1))],
            SupportKind.Simplex, ScalarKind.Real, 1, true, D + "RelaxedOneHotCategorical"),
        new("RelaxedBernoulliStraightThrough", [F("StraightThroughFromProbs", Pos("temperature"), Unit("probs")), F("StraightThroughFromLogits", Pos("temperature"), R("logits"))],
            SupportKind.UnitInterval, ScalarKind.Real, 0, true, D + "RelaxedBernoulli"),
        new("RelaxedOneHotCategoricalStraightThrough",
            [F("StraightThroughFromProbs", Pos("temperature"), new ParamInfo("probs", Domain.Positive, 1)), F("StraightThroughFromLogits", Pos("temperature"), new ParamInfo("logits", Domain.Real, 1))],
            SupportKind.Simplex, ScalarKind.Real, 1, true, D + "RelaxedOneHotCategorical"),
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>Every function, by name.</summary>
    public static readonly IReadOnlyDictionary<string, FunctionInfo> Functions = new FunctionInfo[]
    {
        new("exp", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Exp", "e to the x"),
        new("log", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Log", "natural logarithm"),
        new("log1p", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Log1p", "log(1 + x), accurate near 0"),
        new("expm1", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Expm1", "exp(x) - 1, accurate near 0"),
        new("sqrt", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Sqrt", "square root"),
        new("abs", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Abs", "absolute value"),
        new("pow", 2, 2, FunctionShape.Elementwise, ScalarKind.Real, "Pow", "x to the y, elementwise"),
        new("softplus", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Softplus", "log(1 + exp(x))"),
        new("sigmoid", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Sigmoid", "1 / (1 + exp(-x))"),
        new("logit", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Logit", "log(p / (1 - p))"),
        new("tanh", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Tanh", "hyperbolic tangent"),
        new("relu", 1, 1, FunctionShape.Elementwise, ScalarKind.Real, "Relu", "max(x, 0)"),
        new("softmax", 1, 1, FunctionShape.LastAxis, ScalarKind.Real, "Softmax", "exp(x) / sum(exp(x)) along the last dimension"),
        new("log_softmax", 1, 1, FunctionShape.LastAxis, ScalarKind.Real, "LogSoftmax", "log of softmax, along the last dimension"),
        new("logsumexp", 1, 1, FunctionShape.Reduction, ScalarKind.Real, "LogSumExp", "log(sum(exp(x))) over all elements"),
        new("sum", 1, 1, FunctionShape.Reduction, null, "Sum", "sum of all elements"),
        new("mean", 1, 1, FunctionShape.Reduction, ScalarKind.Real, "Mean", "mean of all elements"),
        new("min", 1, 2, FunctionShape.Reduction, null, "Min", "smallest element; with two arguments the elementwise minimum"),
        new("max", 1, 2, FunctionShape.Reduction, null, "Max", "largest element; with two arguments the elementwise maximum"),
        new("dot", 2, 2, FunctionShape.Dot, ScalarKind.Real, "Dot", "inner product of two vectors"),
        new("transpose", 1, 1, FunctionShape.Transpose, null, "Transpose", "swaps the dimensions of a matrix"),
        new("zeros", 0, 8, FunctionShape.Fill, ScalarKind.Real, "Zeros", "a real tensor of zeros, shape from the int arguments"),
        new("ones", 0, 8, FunctionShape.Fill, ScalarKind.Real, "Ones", "a real tensor of ones, shape from the int arguments"),
        new("size", 1, 1, FunctionShape.Size, ScalarKind.Int, "Size", "length of the first dimension"),
        new("where", 3, 3, FunctionShape.Where, null, "Where", "elementwise: a where cond is true, else b"),
        new("reshape", 2, 9, FunctionShape.Reshape, null, "Reshape", "x's elements in row-major order, in the shape of the int arguments (same count)"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Every flow, by name. Each takes its layer count first.</summary>
    public static readonly IReadOnlyDictionary<string, FlowInfo> Flows = new FlowInfo[]
    {
        new("Planar", [], "global::Ppl.Runtime.Flows.Planar", "K planar layers (Rezende and Mohamed 2015)"),
        new("Radial", [], "global::Ppl.Runtime.Flows.Radial", "K radial layers (Rezende and Mohamed 2015)"),
        new("Iaf", ["hidden", "context"], "global::Ppl.Runtime.Flows.Iaf", "K inverse autoregressive layers (Kingma et al. 2016)"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Network kinds for <c>net NAME = KIND(...)</c>.</summary>
    public static readonly IReadOnlyList<string> NetKinds = ["Mlp"];

    /// <summary>Activations a net accepts (<c>activation: relu</c>), the first the default.</summary>
    public static readonly IReadOnlyList<string> Activations = ["relu", "tanh", "elu", "softplus"];

    /// <summary>Type names: scalar kinds and the constrained matrix/vector types.</summary>
    public static readonly IReadOnlyList<string> TypeNames = ["int", "real", "bool", "simplex", "ordered", "cov_matrix", "cholesky_corr"];

    /// <summary>How a support reads in messages and dumps.</summary>
    public static string Describe(SupportKind s) => s switch
    {
        SupportKind.Real => "real",
        SupportKind.Positive => "positive real",
        SupportKind.UnitInterval => "[0, 1]",
        SupportKind.Interval => "[low, high]",
        SupportKind.Simplex => "simplex",
        SupportKind.Boolean => "{0, 1}",
        SupportKind.Count => "{0, 1, 2, ...}",
        SupportKind.BoundedCount => "{0, ..., n}",
        SupportKind.Category => "{0, ..., K-1}",
        SupportKind.PositiveDefinite => "positive definite matrix",
        SupportKind.CorrCholesky => "Cholesky factor of a correlation matrix",
        SupportKind.RealVector => "real vector",
        _ => s.ToString(),
    };
}
