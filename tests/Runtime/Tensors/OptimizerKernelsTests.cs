using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Tensors;

public class OptimizerKernelsTests
{
    [Fact]
    public void AdamStep_SplitOverWorkers_SameBitsAsOneThread()
    {
        // Long enough to be cut into parts (and odd, so the parts' ends fall off the vector width). The parts stream the
        // parameters past the caches (aligned non-temporal stores after a scalar head), the one-thread path does not:
        // the bits must agree anyway.
        int n = 3 * OptimizerKernels.MinParallelLength + 7;
        var random = new System.Random(5);
        float[] Fill() => Enumerable.Range(0, n).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        float[] p0 = Fill(), g = Fill(), m0 = Fill(), v0 = Fill().Select(MathF.Abs).ToArray();

        (float[] P, float[] M, float[] V) Run(int threads)
        {
            float[] p = (float[])p0.Clone(), m = (float[])m0.Clone(), v = (float[])v0.Clone();
            int saved = Gemm.MaxThreads;
            Gemm.MaxThreads = threads;
            try
            {
                for (int t = 1; t <= 3; t++) OptimizerKernels.AdamStep(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, t, weightDecay: 1e-4f);
            }
            finally
            {
                Gemm.MaxThreads = saved;
            }
            return (p, m, v);
        }

        var one = Run(1);
        var three = Run(3);
        Assert.Equal(one.P, three.P);
        Assert.Equal(one.M, three.M);
        Assert.Equal(one.V, three.V);
        Assert.NotEqual(p0, one.P);
    }
}
