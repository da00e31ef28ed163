using MathNet.Numerics.Distributions;
using Ppl.Runtime.Random;

namespace Ppl.Runtime.Tests.Random;

public class RngFillTests
{
    private static float[] WithWidth(bool use512, Action<float[]> fill, int n)
    {
        bool saved = Rng.Use512;
        try
        {
            Rng.Use512 = use512;
            var dst = new float[n];
            fill(dst);
            return dst;
        }
        finally
        {
            Rng.Use512 = saved;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(1000)]
    public void FillNormal_512And256BitPaths_BitIdentical(int n)
    {
        // The lanes are part of the stream's definition, so the width used must not change a single bit.
        float[] wide = WithWidth(true, d => new Rng(17).FillNormal(d), n);
        float[] narrow = WithWidth(false, d => new Rng(17).FillNormal(d), n);
        Assert.Equal(wide, narrow);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1000)]
    public void FillUniform_512And256BitPaths_BitIdentical(int n)
    {
        Assert.Equal(WithWidth(true, d => new Rng(18).FillUniform(d), n), WithWidth(false, d => new Rng(18).FillUniform(d), n));
        Assert.Equal(WithWidth(true, d => new Rng(18).FillUniformOpen(d), n), WithWidth(false, d => new Rng(18).FillUniformOpen(d), n));
        Assert.Equal(WithWidth(true, d => new Rng(18).FillUniform(d, -2f, 3f), n), WithWidth(false, d => new Rng(18).FillUniform(d, -2f, 3f), n));
    }

    [Fact]
    public void Fill_TailShorterThanBlock_IsPrefixOfTheWholeBlock()
    {
        var a = new float[40];
        var b = new float[64];
        new Rng(19).FillNormal(a);
        new Rng(19).FillNormal(b);
        Assert.Equal(b.AsSpan(0, 40).ToArray(), a);
        var c = new float[5];
        var e = new float[16];
        new Rng(19).FillUniform(c);
        new Rng(19).FillUniform(e);
        Assert.Equal(e.AsSpan(0, 5).ToArray(), c);
    }

    [Fact]
    public void FillWide_DoesNotDisturbScalarStreamBeyondItsOneTimeSeeding()
    {
        // The 8-lane stream is seeded from one scalar draw on first use; later fills leave the scalar
        // stream alone, so interleaving fills does not shift the scalar sequence.
        var a = new Rng(20);
        var b = new Rng(20);
        var buf = new float[100];
        a.FillUniform(buf);
        b.FillUniform(buf);
        a.FillNormal(buf);
        Assert.Equal(b.NextULong(), a.NextULong());
    }

    [Fact]
    public void FillUniform_Ranges_HalfOpenOpenAndAffine()
    {
        var rng = new Rng(21);
        var u = new float[100_000];
        rng.FillUniform(u);
        Assert.All(u, v => Assert.True(v >= 0f && v < 1f));
        GoodnessOfFit.AssertKs(u.Select(v => (double)v).ToArray(), x => Math.Clamp(x, 0, 1), "U[0,1)");
        rng.FillUniformOpen(u);
        Assert.All(u, v => Assert.True(v > 0f && v < 1f));
        // A range one ulp wide at 1: lo + (hi − lo)·u rounds to hi for half the draws without the clamp.
        float lo = 1f, hi = MathF.BitIncrement(MathF.BitIncrement(1f));
        rng.FillUniform(u, lo, hi);
        Assert.All(u, v => Assert.True(v >= lo && v < hi));
        rng.FillUniform(u, -3f, 5f);
        GoodnessOfFit.AssertKs(u.Select(v => (double)v).ToArray(), x => Math.Clamp((x + 3) / 8, 0, 1), "U[-3,5)");
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.FillUniform(u, 1f, 1f));
    }

    [Fact]
    public void FillNormal_Distribution_KsAndMoments()
    {
        var rng = new Rng(22);
        var z = new float[200_000];
        rng.FillNormal(z);
        double[] d = z.Select(v => (double)v).ToArray();
        GoodnessOfFit.AssertMoments(d, 0, 1, "FillNormal");
        GoodnessOfFit.AssertKs(d[..20_000], x => Normal.CDF(0, 1, x), "FillNormal");
        Assert.All(z, v => Assert.True(float.IsFinite(v) && Math.Abs(v) < 6.7f));
    }

    [Fact]
    public void FillNormal_Tails_HaveTheRightMass()
    {
        // P(|Z| > 4) = 6.334·10⁻⁵: over 2²⁰ draws, expect 66.4 with binomial SD 8.1; allow 5 SD.
        var rng = new Rng(23);
        var z = new float[1 << 20];
        rng.FillNormal(z);
        int beyond = z.Count(v => Math.Abs(v) > 4f);
        double expected = 6.334e-5 * z.Length;
        Assert.True(Math.Abs(beyond - expected) < 5 * Math.Sqrt(expected), $"{beyond} beyond ±4, expected {expected:F1}");
    }

    [Fact]
    public void FillNormal_BoxMullerPairs_Independent()
    {
        // z₀ = r cos θ and z₁ = r sin θ share r: wrong angles would correlate them or their squares.
        var rng = new Rng(24);
        var z = new float[32 * 10_000];
        rng.FillNormal(z);
        var a = new List<double>();
        var b = new List<double>();
        for (int blk = 0; blk < z.Length; blk += 32)
            for (int j = 0; j < 16; j++)
            {
                a.Add(z[blk + j]);
                b.Add(z[blk + 16 + j]);
            }
        int n = a.Count;
        // Correlations under independence have SE 1/√n; 5 SE.
        Assert.True(Math.Abs(Correlation(a, b)) < 5 / Math.Sqrt(n));
        Assert.True(Math.Abs(Correlation(a.Select(v => v * v).ToList(), b.Select(v => v * v).ToList())) < 5 / Math.Sqrt(n));
    }

    [Fact]
    public void FillNormal_MeanAndStdDev_Applied()
    {
        var rng = new Rng(25);
        var z = new float[100_000];
        rng.FillNormal(z, 3f, 0.5f);
        GoodnessOfFit.AssertMoments(z.Select(v => (double)v).ToList(), 3, 0.25, "N(3, 0.5²)");
    }

    private static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
