namespace Ppl.Runtime.Tests.Numerics;

internal static class Accuracy
{
    /// <summary>Asserts |actual − expected| ≤ tol·|expected| (or ≤ tol when expected is 0); infinities must match.</summary>
    public static void AssertRelative(double expected, double actual, double tol, string what)
    {
        if (double.IsInfinity(expected))
        {
            Assert.True(expected == actual, $"{what}: expected {expected}, got {actual}");
            return;
        }
        double err = expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(err <= tol, $"{what}: expected {expected:R}, got {actual:R}, relative error {err:E2} > {tol:E1}");
    }

    /// <summary>Asserts |actual − expected| ≤ tol.</summary>
    public static void AssertAbsolute(double expected, double actual, double tol, string what)
    {
        double err = Math.Abs(actual - expected);
        Assert.True(err <= tol, $"{what}: expected {expected:R}, got {actual:R}, absolute error {err:E2} > {tol:E1}");
    }
}
