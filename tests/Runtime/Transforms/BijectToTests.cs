using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Runtime.Tests.Transforms;

public class BijectToTests
{
    public static TheoryData<string, Type, int> Continuous => new()
    {
        { "real", typeof(IdentityTransform), 1 },
        { "positive", typeof(ExpTransform), 1 },
        { "unit_interval", typeof(IntervalTransform), 1 },
        { "greater_than", typeof(LowerBoundTransform), 1 },
        { "less_than", typeof(UpperBoundTransform), 1 },
        { "interval", typeof(IntervalTransform), 1 },
        { "simplex", typeof(StickBreakingTransform), 3 },
        { "corr_cholesky", typeof(CorrCholeskyTransform), 3 },
        { "lower_cholesky", typeof(LowerCholeskyTransform), 6 },
        { "positive_definite", typeof(PositiveDefiniteTransform), 6 },
    };

    static Constraint Named(string name) => name switch
    {
        "real" => Constraint.Real,
        "positive" => Constraint.Positive,
        "unit_interval" => Constraint.UnitInterval,
        "greater_than" => Constraint.Between(-3, float.PositiveInfinity),
        "less_than" => Constraint.Between(float.NegativeInfinity, 2),
        "interval" => Constraint.Between(-1, 4),
        "simplex" => Constraint.Simplex,
        "corr_cholesky" => Constraint.CorrCholesky,
        "lower_cholesky" => Constraint.LowerCholesky,
        "positive_definite" => Constraint.PositiveDefinite,
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(Continuous))]
    public void For_ContinuousConstraint_MapsRandomPointsIntoIt(string name, Type expected, int freeSize)
    {
        var c = Named(name);
        var t = BijectTo.For(c);
        Assert.IsType(expected, t);
        var rng = new System.Random(3);
        for (int rep = 0; rep < 20; rep++)
        {
            var x = Autodiff.GradCheck.RandomTensor(rng, [freeSize], -3, 3);
            var y = t.Forward(Var.Const(x)).Value;
            Assert.True(c.Check(y.Span), $"{name}: {y}");
        }
    }

    [Fact]
    public void For_DiscreteConstraint_ThrowsNamingIt()
    {
        var e = Assert.Throws<NotSupportedException>(() => BijectTo.For(Constraint.Boolean));
        Assert.Contains("boolean", e.Message);
    }
}
