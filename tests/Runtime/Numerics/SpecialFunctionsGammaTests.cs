using Ppl.Runtime.Numerics;
using MathSF = MathNet.Numerics.SpecialFunctions;

namespace Ppl.Runtime.Tests.Numerics;

public class SpecialFunctionsGammaTests
{
    public static TheoryData<double, double> LogGammaReference() => Rows(MpmathReference.LogGamma);
    public static TheoryData<double, double> DigammaReference() => Rows(MpmathReference.Digamma);
    public static TheoryData<double, double> TrigammaReference() => Rows(MpmathReference.Trigamma);

    internal static TheoryData<double, double> Rows(double[][] table)
    {
        var data = new TheoryData<double, double>();
        foreach (var r in table) data.Add(r[0], r[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(LogGammaReference))]
    public void LogGamma_MpmathGrid_WithinFewUlps(double x, double expected)
    {
        // Includes 1 ± 10⁻⁴ and 2 ± 10⁻⁵, where MathNet's Lanczos GammaLn is off by up to 8·10⁻¹⁰ relative.
        Accuracy.AssertRelative(expected, SpecialFunctions.LogGamma(x), 2e-15, $"LogGamma({x:R})");
    }

    [Fact]
    public void LogGamma_ZerosAndPoles_ExactValues()
    {
        Assert.Equal(0.0, SpecialFunctions.LogGamma(1.0));
        Assert.Equal(0.0, SpecialFunctions.LogGamma(2.0));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.LogGamma(0.0));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.LogGamma(-3.0));
        Assert.True(double.IsNaN(SpecialFunctions.LogGamma(double.NaN)));
    }

    [Fact]
    public void LogGamma_GridAwayFromZeros_AgreesWithMathNet()
    {
        // Away from the zeros at 1 and 2 MathNet is accurate to ~10⁻¹⁴ relative, so it is a valid check.
        for (double x = 0.01; x < 1e6; x *= 1.37)
        {
            if (Math.Abs(x - 1) < 0.2 || Math.Abs(x - 2) < 0.2) continue;
            Accuracy.AssertRelative(MathSF.GammaLn(x), SpecialFunctions.LogGamma(x), 1e-13, $"LogGamma({x})");
        }
    }

    [Fact]
    public void LogGamma_FactorialValues_MatchExactLogs()
    {
        double logFactorial = 0;
        for (int n = 1; n <= 170; n++)
        {
            logFactorial += Math.Log(n);
            Accuracy.AssertRelative(logFactorial, SpecialFunctions.LogGamma(n + 1), 1e-14, $"ln {n}!");
        }
    }

    [Fact]
    public void LogFactorial_TableAndBeyond_MatchLogGamma()
    {
        foreach (double k in new[] { 0.0, 1, 2, 17, 255, 256, 1000, 1e7 })
            Assert.Equal(SpecialFunctions.LogGamma(k + 1), SpecialFunctions.LogFactorial(k));
    }

    [Theory]
    [MemberData(nameof(DigammaReference))]
    public void Digamma_MpmathGrid_WithinAbsoluteOrRelative(double x, double expected)
    {
        // Absolute 2·10⁻¹⁵ covers the points near the root 1.4616 where the relative error must grow.
        double tol = Math.Max(4e-15 * Math.Abs(expected), 2e-15);
        Accuracy.AssertAbsolute(expected, SpecialFunctions.Digamma(x), tol, $"Digamma({x:R})");
    }

    [Fact]
    public void Digamma_Grid_AgreesWithMathNet()
    {
        for (double x = -20.3; x < 1e6; x = x < 0 ? x + 0.77 : x * 1.41 + 0.01)
            Accuracy.AssertAbsolute(MathSF.DiGamma(x), SpecialFunctions.Digamma(x), 1e-13 * Math.Max(1, Math.Abs(MathSF.DiGamma(x))), $"Digamma({x})");
    }

    [Fact]
    public void Digamma_Poles_AreNaN()
    {
        Assert.True(double.IsNaN(SpecialFunctions.Digamma(0)));
        Assert.True(double.IsNaN(SpecialFunctions.Digamma(-4)));
    }

    [Theory]
    [MemberData(nameof(TrigammaReference))]
    public void Trigamma_MpmathGrid_WithinFewUlps(double x, double expected) =>
        Accuracy.AssertRelative(expected, SpecialFunctions.Trigamma(x), 2e-15, $"Trigamma({x:R})");

    [Fact]
    public void Trigamma_Grid_MatchesDerivativeOfDigamma()
    {
        // Central difference of ψ with h = 10⁻⁵x: truncation ~h²ψ‴/6, rounding ~ε|ψ|/h; 10⁻⁷ covers both.
        for (double x = 0.05; x < 1e4; x *= 1.9)
        {
            double h = 1e-5 * x;
            double fd = (SpecialFunctions.Digamma(x + h) - SpecialFunctions.Digamma(x - h)) / (2 * h);
            Accuracy.AssertRelative(fd, SpecialFunctions.Trigamma(x), 1e-7, $"Trigamma({x})");
        }
    }

    public static TheoryData<double, double, double> LogBetaReference()
    {
        var data = new TheoryData<double, double, double>();
        foreach (var r in MpmathReference.LogBeta) data.Add(r[0], r[1], r[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(LogBetaReference))]
    public void LogBeta_MpmathGrid_Accurate(double a, double b, double expected)
    {
        // Includes (10⁻³, 10¹⁰), where MathNet's BetaLn is off by 3·10⁻⁷ (cancelling ln Γ's of size 10¹¹).
        Accuracy.AssertRelative(expected, SpecialFunctions.LogBeta(a, b), 4e-15, $"LogBeta({a}, {b})");
    }

    [Fact]
    public void LogBeta_ModerateGrid_AgreesWithMathNet()
    {
        double[] values = { 1e-3, 0.5, 3, 20, 300 };
        foreach (double a in values)
            foreach (double b in values)
                Accuracy.AssertRelative(MathSF.BetaLn(a, b), SpecialFunctions.LogBeta(a, b), 1e-12, $"LogBeta({a}, {b})");
    }

    [Fact]
    public void LogBeta_OneHugeArgument_MatchesClosedForm()
    {
        // B(1, b) = 1/b exactly, so ln B(1, b) = −ln b: the naive difference of ln Γ's loses 5 digits at b = 10¹⁰.
        foreach (double b in new[] { 10.0, 1e5, 1e10, 1e15 })
            Accuracy.AssertRelative(-Math.Log(b), SpecialFunctions.LogBeta(1, b), 1e-14, $"LogBeta(1, {b})");
    }

    [Fact]
    public void LogGammaSpan_Floats_MatchScalar()
    {
        float[] x = { 0.1f, 1f, 2.5f, 100f };
        var dst = new float[4];
        SpecialFunctions.LogGamma(x, dst);
        for (int i = 0; i < x.Length; i++) Assert.Equal((float)SpecialFunctions.LogGamma(x[i]), dst[i]);
        Assert.Throws<ArgumentException>(() => SpecialFunctions.LogGamma(x, new float[3]));
    }
}
