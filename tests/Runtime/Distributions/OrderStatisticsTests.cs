using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Distributions;

public class OrderStatisticsTests
{
    static OrderStatistics StandardNormals(int k) =>
        new(new Normal(Var.Const(Tensor.Zeros(k)), Var.Const(Tensor.Full(1f, k))));

    [Fact]
    public void LogProb_IsKFactorialTimesTheProductOfDensities()
    {
        var d = StandardNormals(3);
        Assert.Equal([3], d.EventShape);
        Assert.Empty(d.BatchShape);
        Assert.Same(Constraint.Ordered, d.Support);
        float[] y = [-1f, 0.2f, 1.5f];
        double expected = Math.Log(6) + y.Sum(v => -0.5 * v * v - 0.5 * Math.Log(2 * Math.PI));
        Assert.Equal(expected, d.LogProb(Var.Const(Tensor.Vector(y))).Value.ToScalar(), 1e-5);
    }

    [Fact]
    public void LogProb_TwoElements_IntegratesToOneOverIncreasingPairs()
    {
        // ∫∫_{y₀<y₁} 2 φ(y₀) φ(y₁) dy₀ dy₁ by the midpoint rule on a grid of step 0.02 over [−8, 8]², the cells on the
        // diagonal counting half (the region cuts them in two; the increasing half is scored at its own point, the
        // density being symmetric). The rule's error is far below 1e-3; without the factor K! the total would be ½.
        var d = StandardNormals(2);
        const double h = 0.02;
        int n = (int)(16 / h);
        var pairs = new List<float>();
        var weights = new List<double>();
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                float a = (float)(-8 + (i + 0.5) * h), b = (float)(-8 + (j + 0.5) * h);
                pairs.Add(a); pairs.Add(i == j ? MathF.BitIncrement(b) : b);
                weights.Add(i == j ? 0.5 : 1);
            }
        var lp = d.Expand([weights.Count]).LogProb(Var.Const(new Tensor([.. pairs], weights.Count, 2))).Value.Span;
        double total = 0;
        for (int c = 0; c < weights.Count; c++) total += weights[c] * Math.Exp(lp[c]) * h * h;
        Assert.Equal(1.0, total, 1e-3);
    }

    [Fact]
    public void Sample_IsSortedAndHasTheMinimumsMean()
    {
        // The smaller of two standard normals has mean −1/√π = −0.5642 and variance 1 − 1/π = 0.6817: 20,000 draws
        // give a standard error of 0.0058, tolerance 4 of them.
        var d = StandardNormals(2);
        var draws = d.Sample(new Rng(7), [20_000]);
        Assert.Equal([20_000, 2], draws.Shape);
        var s = draws.Span;
        double sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            Assert.True(Constraint.Ordered.Check(s.Slice(2 * i, 2)));
            sum += s[2 * i];
        }
        Assert.Equal(-1 / Math.Sqrt(Math.PI), sum / 20_000, 4 * Math.Sqrt((1 - 1 / Math.PI) / 20_000));
    }

    [Fact]
    public void Constructor_ABaseNotOnTheRealLineOrScalar_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new OrderStatistics(new HalfNormal(Var.Const(Tensor.Full(1f, 3)))));
        Assert.Throws<ShapeException>(() => new OrderStatistics(new Normal(0f, 1f)));
    }
}
