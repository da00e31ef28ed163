using MathNet.Numerics.Distributions;
using Ppl.Runtime.Random;

namespace Ppl.Runtime.Tests.Random;

public class RngNormalTests
{
    [Fact]
    public void Normal_Ziggurat_KsAndMoments()
    {
        var rng = new Rng(40);
        double[] x = GoodnessOfFit.Draw(200_000, rng.Normal);
        GoodnessOfFit.AssertMoments(x, 0, 1, "Normal()");
        GoodnessOfFit.AssertKs(x[..20_000], v => Normal.CDF(0, 1, v), "Normal()");
    }

    [Fact]
    public void Normal_TailBeyondR_ExactShape()
    {
        // Condition on |Z| > 3.2 (mass 1.37·10⁻³), which straddles the ziggurat's R = 3.654 seam and its
        // tail algorithm: the conditional CDF is 1 − Q(|z|)/Q(3.2) with Q the upper tail.
        var rng = new Rng(41);
        var tail = new List<double>();
        while (tail.Count < 3000)
        {
            double z = rng.Normal();
            if (Math.Abs(z) > 3.2) tail.Add(Math.Abs(z));
        }
        double q0 = 1 - Normal.CDF(0, 1, 3.2);
        GoodnessOfFit.AssertKs(tail.ToArray(), v => 1 - (1 - Normal.CDF(0, 1, v)) / q0, "|Z| given |Z| > 3.2");
    }

    [Fact]
    public void Normal_MeanAndStdDev_Applied()
    {
        var rng = new Rng(42);
        GoodnessOfFit.AssertMoments(GoodnessOfFit.Draw(100_000, () => rng.Normal(-2, 3)), -2, 9, "N(−2, 3²)");
    }

    [Fact]
    public void ZigguratTables_LayersHaveEqualArea()
    {
        // Each layer i ≥ 1 is X[i]·(F[i+1] − F[i]); all equal V. The base layer X[0]·F[1] = V too.
        double[] x = ZigguratTables.X, f = ZigguratTables.F;
        Assert.Equal(ZigguratTables.V, x[0] * f[1], 12);
        for (int i = 1; i < ZigguratTables.Layers; i++)
            Assert.Equal(ZigguratTables.V, x[i] * (f[i + 1] - f[i]), 9);
    }
}
