using MathNet.Numerics.LinearAlgebra;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using MN = MathNet.Numerics.Distributions;
using Mvn = Ppl.Runtime.Distributions.MultivariateNormal;

namespace Ppl.Runtime.Tests.Distributions;

public class MultivariateNormalTests
{
    static readonly float[] Mu = [0.5f, -1f, 2f];
    /// <summary>A 3×3 covariance with correlations up to 0.9 and a conditional variance (L₃₃² ≈ 0.047) far below the largest variance (25).</summary>
    static readonly float[,] Cov = { { 25f, 4.5f, 0.5f }, { 4.5f, 1f, -0.2f }, { 0.5f, -0.2f, 0.5f } };

    static Var C(float[] v) => Var.Const(Tensor.Vector(v));
    static Var C(float[,] m) => Var.Const(Tensor.Matrix(m));

    /// <summary>Reference log density in double: −½(x − μ)ᵀΣ⁻¹(x − μ) − ½ log|2πΣ| by MathNet's Cholesky.</summary>
    static double RefLogPdf(double[] mu, double[,] cov, double[] x)
    {
        var s = Matrix<double>.Build.DenseOfArray(cov);
        var ch = s.Cholesky();
        var d = Vector<double>.Build.DenseOfArray(x) - Vector<double>.Build.DenseOfArray(mu);
        double q = d.DotProduct(ch.Solve(d));
        return -0.5 * q - 0.5 * ch.DeterminantLn - 0.5 * mu.Length * Math.Log(2 * Math.PI);
    }

    static double[,] ToDouble(float[,] m) { var r = new double[m.GetLength(0), m.GetLength(1)]; for (int i = 0; i < r.GetLength(0); i++) for (int j = 0; j < r.GetLength(1); j++) r[i, j] = m[i, j]; return r; }

    [Theory]
    [InlineData(0.5f, -1f, 2f)] [InlineData(0f, 0f, 0f)] [InlineData(30f, -20f, 5f)] [InlineData(-200f, 400f, 1e3f)]
    public void LogProb_MatchesDoubleReference(float x0, float x1, float x2)
    {
        float[] x = [x0, x1, x2];
        double expected = RefLogPdf(Mu.Select(v => (double)v).ToArray(), ToDouble(Cov), x.Select(v => (double)v).ToArray());
        double actual = new Mvn(C(Mu), C(Cov)).LogProb(C(x)).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 2e-5 + 1e-4);
    }

    [Fact]
    public void LogProb_MatchesMathNetMatrixNormal()
    {
        // A K×1 matrix normal with column covariance [[1]] is the multivariate normal.
        var mn = new MN.MatrixNormal(Matrix<double>.Build.Dense(3, 1, (i, _) => Mu[i]), Matrix<double>.Build.DenseOfArray(ToDouble(Cov)),
            Matrix<double>.Build.Dense(1, 1, 1.0));
        float[] x = [1f, -0.5f, 2.1f];
        double expected = Math.Log(mn.Density(Matrix<double>.Build.Dense(3, 1, (i, _) => x[i])));
        Assert.Equal(expected, new Mvn(C(Mu), C(Cov)).LogProb(C(x)).ToScalar(), 1e-4);
    }

    [Fact]
    public void LogProb_NearlySingularCovariance_StaysAccurate()
    {
        // Correlation 0.999: the conditional variance is 2·10⁻³ of the marginal, where forming Σ⁻¹ explicitly in float
        // loses digits but the triangular solve does not.
        float[,] cov = { { 1f, 0.999f }, { 0.999f, 1f } };
        float[] x = [1f, 0.95f];
        double expected = RefLogPdf([0, 0], ToDouble(cov), [1, 0.95]);
        Assert.Equal(expected, new Mvn(C([0f, 0f]), C(cov)).LogProb(C(x)).ToScalar(), Math.Abs(expected) * 1e-4 + 1e-4);
    }

    [Fact]
    public void LogProb_BatchedLocSharedFactor_MatchesOneByOne()
    {
        var locs = Tensor.FromArray([0f, 0f, 0f, 1f, 1f, 1f, -2f, 0.5f, 3f, 4f, -1f, 0f], 4, 3);
        var d = new Mvn(Var.Const(locs), C(Cov));
        Assert.Equal([4], d.BatchShape);
        Assert.Equal([3], d.EventShape);
        var x = C([0.3f, 0.2f, 0.1f]);
        var lp = d.LogProb(x).Value;
        Assert.Equal([4], lp.Shape);
        for (int b = 0; b < 4; b++)
        {
            var one = new Mvn(Var.Const(Tensor.Vector(locs[b, 0], locs[b, 1], locs[b, 2])), C(Cov)).LogProb(x).ToScalar();
            Assert.Equal(one, lp[b], 1e-4);
        }
    }

    [Fact]
    public void LogProb_BatchedFactorsBroadcastAgainstLocs_GiveBatchOfBoth()
    {
        // loc [3, K] against factors [2, 1, K, K]: batch [2, 3].
        var l = Ops.Cholesky(Var.Const(OpsCholeskyTests.Spd(8, 2, 3).Reshape(2, 1, 3, 3)));
        var locs = Var.Const(Tensor.FromArray([0f, 0f, 0f, 1f, 1f, 1f, -2f, 0.5f, 3f], 3, 3));
        var d = Mvn.FromScaleTril(locs, l);
        Assert.Equal([2, 3], d.BatchShape);
        var x = d.Sample(new Rng(2), [5]);
        Assert.Equal([5, 2, 3, 3], x.Shape);
        var lp = d.LogProb(Var.Const(x)).Value;
        Assert.Equal([5, 2, 3], lp.Shape);
        var lv = l.Value;
        for (int b = 0; b < 2; b++)
            for (int j = 0; j < 3; j++)
            {
                var lb = Tensor.Zeros(3, 3);
                for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) lb[r, c] = lv[b, 0, r, c];
                var one = Mvn.FromScaleTril(Var.Const(Tensor.Vector(locs.Value[j, 0], locs.Value[j, 1], locs.Value[j, 2])), Var.Const(lb));
                var xi = Tensor.Vector(x[4, b, j, 0], x[4, b, j, 1], x[4, b, j, 2]);
                Assert.Equal(one.LogProb(Var.Const(xi)).ToScalar(), lp[4, b, j], 1e-4);
            }
    }

    [Fact]
    public void FromScaleTril_UpperTriangleNonZero_Throws() =>
        Assert.Throws<ArgumentException>(() => Mvn.FromScaleTril(C([0f, 0f]), C(new float[,] { { 1f, 0.5f }, { 0f, 1f } })));

    [Fact]
    public void Sample_MeanAndCovariance_WithinStandardError()
    {
        const int n = 50_000;
        var d = new Mvn(C(Mu), C(Cov));
        var s = d.Sample(new Rng(4), [n]);
        Assert.Equal([n, 3], s.Shape);
        for (int i = 0; i < 3; i++)
        {
            var xi = DistributionChecks.Column(s, i, 3);
            double mi = xi.Average(v => (double)v);
            // Mean: SE = √(Σᵢᵢ/n); 5 SE.
            Assert.True(Math.Abs(mi - Mu[i]) <= 5 * Math.Sqrt(Cov[i, i] / n), $"mean {i}: {mi}");
            for (int j = 0; j <= i; j++)
            {
                var xj = DistributionChecks.Column(s, j, 3);
                double mj = xj.Average(v => (double)v), c = 0;
                for (int r = 0; r < n; r++) c += (xi[r] - mi) * (xj[r] - mj);
                c /= n - 1;
                // For Gaussian data Var(s_ij) = (Σᵢᵢ Σⱼⱼ + Σᵢⱼ²)/n (Isserlis); 5 SE.
                double se = Math.Sqrt((Cov[i, i] * Cov[j, j] + Cov[i, j] * Cov[i, j]) / n);
                Assert.True(Math.Abs(c - Cov[i, j]) <= 5 * se, $"cov ({i},{j}) = {c}, expected {Cov[i, j]} (SE {se})");
            }
        }
    }

    [Fact]
    public void Sample_Projections_PassKs()
    {
        // Every projection aᵀx of a Gaussian vector is N(aᵀμ, aᵀΣa): the marginals and two mixed directions.
        const int n = 20_000;
        var s = new Mvn(C(Mu), C(Cov)).Sample(new Rng(6), [n]);
        double[][] dirs = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, -2, 0.5], [0.3, 0.3, -3]];
        foreach (var a in dirs)
        {
            var proj = new float[n];
            for (int r = 0; r < n; r++) proj[r] = (float)(a[0] * s[r, 0] + a[1] * s[r, 1] + a[2] * s[r, 2]);
            double m = 0, v = 0;
            for (int i = 0; i < 3; i++) { m += a[i] * Mu[i]; for (int j = 0; j < 3; j++) v += a[i] * a[j] * Cov[i, j]; }
            GoodnessOfFit.AssertKs(proj, x => MN.Normal.CDF(m, Math.Sqrt(v), x), $"projection [{string.Join(", ", a)}]");
        }
    }

    [Fact]
    public void MeanVarianceCovariance_MatchParameters()
    {
        var d = new Mvn(C(Mu), C(Cov));
        Assert.Equal(Mu, d.Mean.Value.ToArray());
        var v = d.Variance.Value;
        for (int i = 0; i < 3; i++) Assert.Equal(Cov[i, i], v[i], 1e-5);
        var c = d.Covariance.Value;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) Assert.Equal(Cov[i, j], c[i, j], 1e-5);
    }

    [Fact]
    public void Entropy_MatchesHalfLogDetTwoPiE()
    {
        double logdet = Matrix<double>.Build.DenseOfArray(ToDouble(Cov)).Cholesky().DeterminantLn;
        double expected = 0.5 * (3 * (1 + Math.Log(2 * Math.PI)) + logdet);
        Assert.Equal(expected, new Mvn(C(Mu), C(Cov)).Entropy().ToScalar(), 1e-4);
    }

    [Fact]
    public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new Mvn(C(Mu), C(Cov)));

    [Fact]
    public void Expand_CopiesIntoBatch()
    {
        var d = new Mvn(C(Mu), C(Cov));
        var e = d.Expand([2, 4]);
        Assert.Equal([2, 4], e.BatchShape);
        Assert.Equal([2, 4, 3], e.Shape);
        var x = C([1f, 0f, 2f]);
        float one = d.LogProb(x).ToScalar();
        foreach (float v in e.LogProb(x).Value.Span) Assert.Equal(one, v, 1e-5);
        Assert.Equal([7, 2, 4, 3], e.Sample(new Rng(1), [7]).Shape);
    }

    [Fact]
    public void LogProb_GradientInLoc_IsPrecisionTimesResidual()
    {
        // ∂/∂μ log p(x) = Σ⁻¹(x − μ).
        var tape = new Tape();
        var mu = tape.Attach(Var.Parameter(Tensor.Vector(Mu)));
        float[] x = [1f, -0.5f, 2.1f];
        tape.Backward(new Mvn(mu, C(Cov)).LogProb(C(x)));
        var expected = Matrix<double>.Build.DenseOfArray(ToDouble(Cov)).Solve(Vector<double>.Build.Dense(3, i => x[i] - Mu[i]));
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], mu.Grad![i], Math.Abs(expected[i]) * 1e-3 + 1e-3);
    }

    [Fact]
    public void LogProb_GradientInLocAndCovariance_MatchesFiniteDifferences() =>
        GradCheck.Check(p => new Mvn(p[0], p[1]).LogProb(C([0.2f, 0.4f, 1.5f])), Tensor.Vector(Mu), OpsCholeskyTests.Spd(9, 1, 3).Reshape(3, 3));

    [Fact]
    public void LogProb_GradientInScaleTrilAndValue_MatchesFiniteDifferences() =>
        GradCheck.Check(p => Mvn.FromScaleTril(C(Mu), Ops.Mul(p[0], LowerMask(3))).LogProb(p[1]),
            OpsTriangularSolveTests.Lower(2, 3, 3), Tensor.FromArray([0.1f, 0.2f, 0.3f, 1f, -1f, 0f], 2, 3));

    /// <summary>1 on and below the diagonal: FD steps on the upper triangle then change nothing, as the gradient says.</summary>
    static Var LowerMask(int k)
    {
        var m = Tensor.Zeros(k, k);
        for (int i = 0; i < k; i++) for (int j = 0; j <= i; j++) m[i, j] = 1f;
        return Var.Const(m);
    }

    [Fact]
    public void RSample_GradientFromScaleTril_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => Mvn.FromScaleTril(p[0], Ops.Mul(p[1], LowerMask(3))), RSampleGradCheck.Probe,
            Tensor.Vector(0.2f, -0.3f, 0.5f), OpsTriangularSolveTests.Lower(4, 3, 3));

    [Fact]
    public void RSample_GradientFromCovariance_MatchesCommonRandomNumberFiniteDifferences() =>
        // Through the Cholesky factor: the covariance is SPD and the steps (≤ 10⁻³·|Σᵢⱼ|) keep it so.
        RSampleGradCheck.Check(p => new Mvn(p[0], p[1]), RSampleGradCheck.Probe,
            Tensor.Vector(0.2f, -0.3f, 0.5f), OpsCholeskyTests.Spd(10, 1, 3).Reshape(3, 3));

    [Fact]
    public void RSample_BatchedFactors_GradientMatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => Mvn.FromScaleTril(p[0], Ops.Mul(p[1], LowerMask(2))), RSampleGradCheck.Probe, n: 500, seed: 3, tol: 3e-3,
            Tensor.FromArray([0.1f, 0.2f, -0.3f, 0.4f, 0f, 1f], 3, 2), OpsTriangularSolveTests.Lower(5, 2, 1, 2, 2));
}
