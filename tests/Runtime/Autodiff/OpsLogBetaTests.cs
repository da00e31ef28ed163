using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsLogBetaTests
{
    [Theory]
    [InlineData(0.5f, 2f, 3f)] [InlineData(1000f, 2000f, 3000f)] [InlineData(1e-3f, 1e-3f, 1e-3f)] [InlineData(1f, 1f, 1f)]
    public void LogMultivariateBeta_MatchesGammaLnSum(float a, float b, float c)
    {
        double expected = MathNet.Numerics.SpecialFunctions.GammaLn(a) + MathNet.Numerics.SpecialFunctions.GammaLn(b)
            + MathNet.Numerics.SpecialFunctions.GammaLn(c) - MathNet.Numerics.SpecialFunctions.GammaLn((double)a + b + c);
        float got = Ops.LogMultivariateBeta(Tensor.Vector(a, b, c)).ToScalar();
        // Evaluated in double and rounded once (at α ~ 10³ the terms are 10⁴ and cancel to −3·10³; a float sum of
        // float terms would carry ~10⁻³).
        Assert.Equal(expected, got, 1e-7 * Math.Abs(expected) + 1e-9 * (a + b + c) * Math.Log(a + b + c + 2));
    }

    [Fact]
    public void LogMultivariateBeta_ReducesLastAxis_GradientsMatchFiniteDifferences()
    {
        var alpha = RandomTensor(new System.Random(5), [2, 3, 4], 0.3, 4);
        Assert.Equal([2, 3], Ops.LogMultivariateBeta(alpha).Shape);
        Check(x => Ops.LogMultivariateBeta(x[0]), alpha);
    }
}
