using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Tensors;

public class KernelsTests
{
    [Theory]
    [InlineData(1e-10)] [InlineData(-1e-7)] [InlineData(3e-4)] [InlineData(0.5)] [InlineData(-0.9)] [InlineData(1e6)] [InlineData(1e30)]
    public void Log1p_MatchesDoubleReference(double x)
    {
        var src = Enumerable.Repeat((float)x, 19).ToArray(); // 19 covers the vector body and the scalar tail
        var d = new float[19];
        Kernels.Log1p(src, d);
        double expected = Math.Log(1 + (double)(float)x);
        if (Math.Abs(x) < 1e-3) expected = (double)(float)x - (double)(float)x * (float)x / 2;
        foreach (float v in d) Assert.Equal(expected, v, Math.Abs(expected) * 2e-7 + 1e-45);
    }

    [Theory]
    [InlineData(-80)] [InlineData(-20)] [InlineData(-1e-6)] [InlineData(0)] [InlineData(3)] [InlineData(50)] [InlineData(1e5)]
    public void Softplus_MatchesDoubleReference(double x)
    {
        var src = Enumerable.Repeat((float)x, 17).ToArray();
        var d = new float[17];
        Kernels.Softplus(src, d);
        double xf = (float)x;
        double expected = Math.Max(xf, 0) + Math.Log(1 + Math.Exp(-Math.Abs(xf)));
        if (xf < -30) expected = Math.Exp(xf);
        foreach (float v in d) Assert.Equal(expected, v, Math.Abs(expected) * 1e-6);
    }

    [Theory]
    [InlineData(1e-8)] [InlineData(-3e-6)] [InlineData(0.1)] [InlineData(-5)] [InlineData(20)]
    public void Expm1_MatchesDoubleReference(double x)
    {
        double xf = (float)x;
        double expected = Math.Abs(xf) < 1e-5 ? xf + xf * xf / 2 + xf * xf * xf / 6 : Math.Exp(xf) - 1;
        Assert.Equal(expected, Kernels.Expm1((float)x), Math.Abs(expected) * 1e-6);
    }

    [Fact]
    public void SumDouble_ManyTerms_KeepsPrecision()
    {
        var x = Enumerable.Repeat(0.1f, 1_000_000).ToArray();
        Assert.Equal(1_000_000 * (double)0.1f, Kernels.SumDouble(x), 1e-3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(1000)]
    public void AllFinite_OneNonFiniteValueAnywhere_IsFalse(int length)
    {
        var x = Enumerable.Range(0, length).Select(i => (float)Math.Sin(i) * 1e30f).ToArray();
        Assert.True(Kernels.AllFinite(x));
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            for (int at = 0; at < length; at++)
            {
                var y = (float[])x.Clone();
                y[at] = bad;
                Assert.False(Kernels.AllFinite(y), $"{bad} at {at} of {length}");
            }
    }
}
