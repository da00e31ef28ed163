using Ppl.Runtime.Nn;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Nn;

public class InitTests
{
    const int FanIn = 200, FanOut = 300, N = FanIn * FanOut;

    static (double Mean, double Var, double Max) Moments(Tensor t)
    {
        double m = 0, v = 0, mx = 0;
        foreach (float x in t.Span) { m += x; mx = Math.Max(mx, Math.Abs(x)); }
        m /= t.Size;
        foreach (float x in t.Span) v += (x - m) * (x - m);
        return (m, v / (t.Size - 1), mx);
    }

    [Fact]
    public void Xavier_UniformWithGlorotBound()
    {
        var w = Tensor.Zeros(FanIn, FanOut);
        Init.Fill(w, FanIn, FanOut, InitScheme.Xavier, new Rng(1));
        double a = Math.Sqrt(6.0 / (FanIn + FanOut)), variance = a * a / 3;
        var (m, v, mx) = Moments(w);
        Assert.True(mx <= a);
        // SE of the mean is √(var/N); SE of the sample variance of a uniform is var·√(0.8/N) (excess kurtosis −1.2).
        Assert.InRange(m, -5 * Math.Sqrt(variance / N), 5 * Math.Sqrt(variance / N));
        Assert.InRange(v, variance * (1 - 5 * Math.Sqrt(0.8 / N)), variance * (1 + 5 * Math.Sqrt(0.8 / N)));
    }

    [Fact]
    public void Kaiming_NormalWithHeVariance()
    {
        var w = Tensor.Zeros(FanIn, FanOut);
        Init.Fill(w, FanIn, FanOut, InitScheme.Kaiming, new Rng(2));
        double variance = 2.0 / FanIn;
        var (m, v, _) = Moments(w);
        // SE of the sample variance of a normal is var·√(2/N).
        Assert.InRange(m, -5 * Math.Sqrt(variance / N), 5 * Math.Sqrt(variance / N));
        Assert.InRange(v, variance * (1 - 5 * Math.Sqrt(2.0 / N)), variance * (1 + 5 * Math.Sqrt(2.0 / N)));
    }

    [Fact]
    public void UniformFanIn_UniformWithBoundOneOverRootFanIn()
    {
        var w = Tensor.Zeros(FanIn, FanOut);
        Init.Fill(w, FanIn, FanOut, InitScheme.UniformFanIn, new Rng(3));
        double a = 1 / Math.Sqrt(FanIn), variance = a * a / 3;
        var (m, v, mx) = Moments(w);
        Assert.True(mx <= a);
        // SE of the mean is √(var/N); SE of the sample variance of a uniform is var·√(0.8/N) (excess kurtosis −1.2).
        Assert.InRange(m, -5 * Math.Sqrt(variance / N), 5 * Math.Sqrt(variance / N));
        Assert.InRange(v, variance * (1 - 5 * Math.Sqrt(0.8 / N)), variance * (1 + 5 * Math.Sqrt(0.8 / N)));
    }

    [Fact]
    public void Fill_SameSeed_SameWeights()
    {
        var a = Tensor.Zeros(10, 10); var b = Tensor.Zeros(10, 10);
        Init.Fill(a, 10, 10, InitScheme.Kaiming, new Rng(7));
        Init.Fill(b, 10, 10, InitScheme.Kaiming, new Rng(7));
        Assert.Equal(a.ToArray(), b.ToArray());
    }
}
