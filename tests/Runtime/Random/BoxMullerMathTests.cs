using System.Runtime.Intrinsics;
using Ppl.Runtime.Random;

namespace Ppl.Runtime.Tests.Random;

public class BoxMullerMathTests
{
    [Fact]
    public void Log_AcrossUnitInterval_WithinTwoUlps()
    {
        var rng = new Rng(30);
        var u = new float[16];
        var got = new float[16];
        for (int iter = 0; iter < 5_000; iter++)
        {
            for (int i = 0; i < 16; i++)
            {
                // Log-uniform over [2⁻³², 1] plus the exact ends.
                u[i] = (float)Math.Pow(2, -32 * rng.NextDouble());
            }
            if (iter == 0) { u[0] = 1f; u[1] = MathF.Pow(2, -32); u[2] = MathF.BitDecrement(1f); u[3] = 1.41421354f; u[4] = 1.41421366f; }
            BoxMullerMath.Log(Vector512.Create(u)).CopyTo(got);
            for (int i = 0; i < 16; i++)
            {
                double exact = Math.Log(u[i]);
                // 2 float ulps of the result, or an absolute 2⁻²⁴·2 near ln 1 = 0 where ulps vanish.
                double tol = Math.Max(2 * ulp((float)exact), 1.2e-7 * Math.Abs(u[i] - 1) + 1e-12);
                Assert.True(Math.Abs(got[i] - exact) <= tol, $"ln({u[i]:R}) = {exact:R}, got {got[i]:R}");
            }
        }
        static double ulp(float v) => MathF.BitIncrement(Math.Abs(v)) - Math.Abs(v);
    }

    [Fact]
    public void SinCosTurns_AcrossTurn_Within2e7()
    {
        // Every 256th of the 2²⁴ angles, which covers each octant boundary and the quarter-turn rounding ties.
        var t = new int[16];
        var s = new float[16];
        var c = new float[16];
        for (int k = 0; k < (1 << 24); k += 16 << 8)
        {
            for (int i = 0; i < 16; i++) t[i] = k + (i << 8);
            BoxMullerMath.SinCosTurns(Vector512.Create(t), out var vs, out var vc);
            vs.CopyTo(s);
            vc.CopyTo(c);
            for (int i = 0; i < 16; i++)
            {
                double a = 2 * Math.PI * t[i] / (1 << 24);
                // Both outputs are within a couple of float ulps of 1 in absolute terms.
                Assert.True(Math.Abs(s[i] - Math.Sin(a)) < 2e-7, $"sin at t={t[i]}");
                Assert.True(Math.Abs(c[i] - Math.Cos(a)) < 2e-7, $"cos at t={t[i]}");
            }
        }
    }

    [Fact]
    public void Vector256Twins_MatchVector512Bitwise()
    {
        var rng = new Rng(31);
        var u = new float[16];
        for (int i = 0; i < 16; i++) u[i] = rng.NextFloatOpen();
        var wide = Vector512.Create(u);
        var lo = Vector256.Create(u[..8]);
        var hi = Vector256.Create(u[8..]);
        Assert.Equal(BoxMullerMath.Log(wide), Vector512.Create(BoxMullerMath.Log(lo), BoxMullerMath.Log(hi)));
        var k = new int[16];
        for (int i = 0; i < 16; i++) k[i] = (int)(rng.NextULong() >> 40);
        BoxMullerMath.SinCosTurns(Vector512.Create(k), out var s, out var c);
        BoxMullerMath.SinCosTurns(Vector256.Create(k[..8]), out var sLo, out var cLo);
        BoxMullerMath.SinCosTurns(Vector256.Create(k[8..]), out var sHi, out var cHi);
        Assert.Equal(s, Vector512.Create(sLo, sHi));
        Assert.Equal(c, Vector512.Create(cLo, cHi));
    }
}
