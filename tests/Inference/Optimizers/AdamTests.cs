using Ppl.Inference.Optimizers;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Optimizers;

public class AdamTests
{
    [Fact]
    public void Step_MatchesScalarReference()
    {
        // 37 elements: the SIMD body and the scalar tail both run.
        var p = Var.Parameter(Tensor.FromArray(Enumerable.Range(0, 37).Select(i => i * 0.1f - 1).ToArray(), 37));
        var adam = new Adam(lr: 0.01f);
        double[] rp = p.Value.ToArray().Select(x => (double)x).ToArray(), m = new double[37], v = new double[37];
        for (int t = 1; t <= 5; t++)
        {
            var g = p.Grad!.Span;
            for (int i = 0; i < 37; i++) g[i] = (float)(Math.Sin(i + t) * 2);
            for (int i = 0; i < 37; i++)
            {
                double gi = (float)(Math.Sin(i + t) * 2);
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                rp[i] -= 0.01 * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(0.999, t))) + 1e-8);
            }
            adam.Step([p]);
        }
        for (int i = 0; i < 37; i++) Assert.Equal(rp[i], p.Value.Span[i], 5);
    }

    [Fact]
    public void Step_MinimisesQuadratic()
    {
        var tape = new Tape();
        var p = tape.Attach(Var.Parameter(Tensor.Vector(3f, -4f)));
        var adam = new Adam(lr: 0.1f);
        for (int i = 0; i < 500; i++)
        {
            p.Grad!.Span.Clear();   // the loop zeroes, the optimizer only reads
            tape.Backward(Ops.Sum(Ops.Square(p - Var.Const(Tensor.Vector(1f, 2f)))));
            tape.Reset();
            adam.Step([p]);
        }
        Assert.Equal(1f, p.Value.Span[0], 2);
        Assert.Equal(2f, p.Value.Span[1], 2);
    }

    [Fact]
    public void AdamStep_TinyMoments_FlushToZeroSoTheyNeverGoSubnormal()
    {
        // 37 elements cover the SIMD body and the scalar tail. With g = 0 the moments only decay; once below the
        // flush threshold they must be exactly 0 (left alone they would sink into subnormals, which are slow).
        var p = new float[37]; var g = new float[37];
        var m = Enumerable.Repeat(1e-31f, 37).ToArray();
        var v = Enumerable.Repeat(1e-31f, 37).ToArray();
        OptimizerKernels.AdamStep(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, t: 10);
        Assert.All(m, x => Assert.Equal(0f, x));
        Assert.All(v, x => Assert.Equal(0f, x));
        // Moments well above the threshold are untouched by the flush.
        m.AsSpan().Fill(1e-20f);
        OptimizerKernels.AdamStep(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, t: 11);
        Assert.All(m, x => Assert.Equal(0.9f * 1e-20f, x));
    }
}
