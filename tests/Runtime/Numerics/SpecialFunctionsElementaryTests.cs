using Ppl.Runtime.Numerics;

namespace Ppl.Runtime.Tests.Numerics;

public class SpecialFunctionsElementaryTests
{
    public static TheoryData<double, double> Log1pReference() => SpecialFunctionsGammaTests.Rows(MpmathReference.Log1p);
    public static TheoryData<double, double> Expm1Reference() => SpecialFunctionsGammaTests.Rows(MpmathReference.Expm1);

    [Theory]
    [MemberData(nameof(Log1pReference))]
    public void Log1p_MpmathGrid_WithinFewUlps(double x, double expected) =>
        Accuracy.AssertRelative(expected, SpecialFunctions.Log1p(x), 4e-16, $"Log1p({x:R})");

    [Theory]
    [MemberData(nameof(Expm1Reference))]
    public void Expm1_MpmathGrid_WithinFewUlps(double x, double expected) =>
        Accuracy.AssertRelative(expected, SpecialFunctions.Expm1(x), 4e-16, $"Expm1({x:R})");

    [Fact]
    public void Log1pExpm1_RoundTrip_RecoversArgument()
    {
        // Below −2 the round trip itself is ill-conditioned (1 + expm1 x loses digits), so it stops there.
        for (double x = -2; x <= 30; x += 0.173)
            Accuracy.AssertRelative(x, SpecialFunctions.Log1p(SpecialFunctions.Expm1(x)), 2e-15, $"x = {x}");
        for (double x = 1e-300; x < 1e-3; x *= 1e7)
            Accuracy.AssertRelative(-x, SpecialFunctions.Log1p(SpecialFunctions.Expm1(-x)), 1e-15, $"x = {-x}");
    }

    [Fact]
    public void Log1p_Limits_AreExact()
    {
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.Log1p(-1));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.Log1p(double.PositiveInfinity));
        Assert.True(double.IsNaN(SpecialFunctions.Log1p(-2)));
        Assert.Equal(-1.0, SpecialFunctions.Expm1(-800));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.Expm1(800));
    }

    [Fact]
    public void Softplus_ExtremeArguments_NoOverflowOrLoss()
    {
        Assert.Equal(1000.0, SpecialFunctions.Softplus(1000));
        Accuracy.AssertRelative(Math.Exp(-700), SpecialFunctions.Softplus(-700), 1e-15, "softplus(−700)");
        Accuracy.AssertRelative(Math.Log(2), SpecialFunctions.Softplus(0), 1e-16, "softplus(0)");
        for (double x = -20; x <= 20; x += 0.37)
        {
            // Reference: the naive formula where it is accurate (x ≥ −1); below, the series Σ (−1)ᵏ⁺¹eᵏˣ/k.
            double expected = Math.Log(1 + Math.Exp(x));
            if (x < -1)
            {
                expected = 0;
                for (int k = 60; k >= 1; k--) expected += ((k & 1) == 1 ? 1 : -1) * Math.Exp(k * x) / k;
            }
            Accuracy.AssertRelative(expected, SpecialFunctions.Softplus(x), 1e-14, $"softplus({x})");
        }
    }

    [Fact]
    public void LogSigmoid_MatchesLogOfSigmoid()
    {
        // ln σ(x) directly is accurate only while σ(x) is not close to 1, i.e. for x ≤ 0.
        for (double x = -30; x <= 0; x += 0.41)
            Accuracy.AssertRelative(Math.Log(SpecialFunctions.Sigmoid(x)), SpecialFunctions.LogSigmoid(x), 1e-14, $"x = {x}");
        Assert.Equal(-1000.0, SpecialFunctions.LogSigmoid(-1000));
        Accuracy.AssertRelative(-Math.Exp(-40), SpecialFunctions.LogSigmoid(40), 1e-15, "logσ(40)");
    }

    [Fact]
    public void Logit_InvertsSigmoid_IncludingNearHalf()
    {
        // Only x with σ(x) well away from 1 in relative terms: there σ rounds by ε·σ, which logit magnifies
        // by 1/(σ(1 − σ)|x|) in relative terms (≤ 10⁻¹⁴ for these points).
        foreach (double x in new[] { -700.0, -30, -1, -0.3, 0.3, 2 })
            Accuracy.AssertRelative(x, SpecialFunctions.Logit(SpecialFunctions.Sigmoid(x)), 1e-14, $"x = {x}");
        // Near ½: logit(½ + δ) = 4δ + (16/3)δ³ + ...
        double d = 1e-9;
        Accuracy.AssertRelative(4 * d, SpecialFunctions.Logit(0.5 + d), 1e-7, "logit(½ + 1e-9)");
        Assert.Equal(0.0, SpecialFunctions.Logit(0.5));
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.Logit(0));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.Logit(1));
    }

    [Fact]
    public void Log1mExp_BothBranches_MatchDirectFormulaWhereItIsAccurate()
    {
        foreach (double x in new[] { -1e-20, -1e-8, -0.1, -0.69, -0.7, -3, -40, -800 })
        {
            // −expm1(x) for small |x|, 1 − e^x for larger: each accurate where used.
            double expected = x > -0.5 ? Math.Log(-SpecialFunctions.Expm1(x)) : Math.Log(1 - Math.Exp(x));
            if (x < -40) expected = -Math.Exp(x);
            Accuracy.AssertRelative(expected, SpecialFunctions.Log1mExp(x), 1e-15, $"x = {x}");
        }
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.Log1mExp(0));
        Assert.True(double.IsNaN(SpecialFunctions.Log1mExp(1)));
    }

    [Fact]
    public void LogSumExp_LargeAndInfiniteValues_Stable()
    {
        Accuracy.AssertRelative(1000 + Math.Log(3), SpecialFunctions.LogSumExp(new double[] { 1000, 1000, 1000 }), 1e-15, "lse");
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.LogSumExp(ReadOnlySpan<double>.Empty));
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.LogSumExp(new[] { double.NegativeInfinity, double.NegativeInfinity }));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.LogSumExp(new[] { 1.0, double.PositiveInfinity }));
        Assert.True(double.IsNaN(SpecialFunctions.LogSumExp(new[] { 1.0, double.NaN })));
        Accuracy.AssertRelative(-500 + Math.Log(1 + Math.Exp(-1)), SpecialFunctions.LogSumExp(new[] { -500f, -501f }), 1e-7, "float lse");
        Accuracy.AssertRelative(2 + Math.Log(1 + Math.Exp(-3)), SpecialFunctions.LogAddExp(-1, 2), 1e-15, "logaddexp");
    }

    [Fact]
    public void LogMeanExp_HandlesInfinitiesAndLargeValues()
    {
        Assert.Equal(1000 + Math.Log(0.5 * (1 + Math.Exp(-1))), SpecialFunctions.LogMeanExp([1000, 999]), 12);
        Assert.Equal(Math.Log(0.5), SpecialFunctions.LogMeanExp([0, double.NegativeInfinity]), 12);
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.LogMeanExp([double.NegativeInfinity, double.NegativeInfinity]));
    }

    [Fact]
    public void FloatSpans_MatchScalarFunctions()
    {
        float[] x = { -50f, -1f, -1e-7f, 0f, 1e-7f, 2f, 50f };
        var dst = new float[x.Length];
        SpecialFunctions.Log1p(x.Select(v => Math.Abs(v)).ToArray(), dst);
        for (int i = 0; i < x.Length; i++) Assert.Equal((float)SpecialFunctions.Log1p(Math.Abs(x[i])), dst[i]);
        SpecialFunctions.Expm1(x, dst);
        for (int i = 0; i < x.Length; i++) Assert.Equal((float)SpecialFunctions.Expm1(x[i]), dst[i]);
        SpecialFunctions.Softplus(x, dst);
        for (int i = 0; i < x.Length; i++) Assert.Equal((float)SpecialFunctions.Softplus(x[i]), dst[i]);
        SpecialFunctions.LogSigmoid(x, dst);
        for (int i = 0; i < x.Length; i++) Assert.Equal((float)SpecialFunctions.LogSigmoid(x[i]), dst[i]);
    }

    [Fact]
    public void LogSumExp_FloatSpanLargeValues_DoesNotOverflow()
    {
        float[] x = [1000f, 1000f, -1000f];
        Assert.Equal(1000 + Math.Log(2), SpecialFunctions.LogSumExp(x), 3);
        Assert.Equal(float.NegativeInfinity, SpecialFunctions.LogSumExp([float.NegativeInfinity, float.NegativeInfinity]));
    }
}
