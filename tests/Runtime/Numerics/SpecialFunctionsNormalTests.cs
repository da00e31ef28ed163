using Ppl.Runtime.Numerics;
using MathNet.Numerics.Distributions;
using MathSF = MathNet.Numerics.SpecialFunctions;

namespace Ppl.Runtime.Tests.Numerics;

public class SpecialFunctionsNormalTests
{
    public static TheoryData<double, double> LogCdfReference() => SpecialFunctionsGammaTests.Rows(MpmathReference.NormalLogCdf);
    public static TheoryData<double, double> IcdfReference() => SpecialFunctionsGammaTests.Rows(MpmathReference.NormalIcdf);

    [Theory]
    [MemberData(nameof(LogCdfReference))]
    public void NormalLogCdf_MpmathGrid_Accurate(double x, double expected)
    {
        // For x ≥ 5 the value is −Φ(−x) ≈ −10⁻⁷ .. −10⁻⁸⁹ and inherits erfc's x²·ε sensitivity to the
        // rounding of x/√2 (7·10⁻¹⁵ at x = 10); elsewhere a few ulps.
        double tol = x >= 5 ? 1e-14 : 1e-15;
        Accuracy.AssertRelative(expected, SpecialFunctions.NormalLogCdf(x), tol, $"NormalLogCdf({x:R})");
    }

    [Theory]
    [MemberData(nameof(IcdfReference))]
    public void NormalIcdf_MpmathGrid_Accurate(double p, double expected) =>
        // p = 10⁻³⁰⁰ is where MathNet's InvCDF alone is 6% off.
        Accuracy.AssertRelative(expected, SpecialFunctions.NormalIcdf(p), 1e-15, $"NormalIcdf({p:R})");

    [Fact]
    public void NormalCdf_Grid_AgreesWithMathNet()
    {
        for (double x = -37; x <= 8; x += 0.25)
            Accuracy.AssertRelative(Normal.CDF(0, 1, x), SpecialFunctions.NormalCdf(x), 1e-12, $"Φ({x})");
    }

    [Fact]
    public void NormalIcdf_InvertsCdf_AcrossRange()
    {
        for (double z = -37; z <= 8; z += 0.5)
        {
            // Φ(z) itself is rounded by ε·min(Φ, 1 − Φ)-ish; the quantile magnifies that by 1/φ(z), which for
            // z > 0 (Φ near 1, absolute rounding ε/2) is the dominant term.
            double phi = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            double tol = 1e-13 * Math.Max(1, Math.Abs(z)) + (z > 0 ? 2e-16 / phi : 0);
            Accuracy.AssertAbsolute(z, SpecialFunctions.NormalIcdf(SpecialFunctions.NormalCdf(z)), tol, $"z = {z}");
        }
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.NormalIcdf(0));
        Assert.Equal(double.PositiveInfinity, SpecialFunctions.NormalIcdf(1));
        Assert.True(double.IsNaN(SpecialFunctions.NormalIcdf(1.5)));
    }

    [Fact]
    public void ErfErfc_Grid_AreMathNets()
    {
        for (double x = -6; x <= 27; x += 0.5)
        {
            Assert.Equal(MathSF.Erf(x), SpecialFunctions.Erf(x));
            Assert.Equal(MathSF.Erfc(x), SpecialFunctions.Erfc(x));
        }
    }

    [Fact]
    public void NormalLogCdf_AsymptoticSeam_IsContinuous()
    {
        // The two branches meet at −30: both sides must agree to ~1 ulp of the value (≈ −454).
        double left = SpecialFunctions.NormalLogCdf(Math.BitDecrement(-30.0));
        double right = SpecialFunctions.NormalLogCdf(-30.0);
        Accuracy.AssertRelative(right, left, 1e-14, "seam at −30");
        Assert.Equal(double.NegativeInfinity, SpecialFunctions.NormalLogCdf(double.NegativeInfinity));
        Assert.Equal(0.0, SpecialFunctions.NormalLogCdf(40));
    }
}
