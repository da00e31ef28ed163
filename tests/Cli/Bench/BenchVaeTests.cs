using Ppl.Cli.Bench;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli.Tests.Bench;

public class BenchVaeTests
{
    [Fact]
    public void Step_RepeatedOnFixedData_LowersTheLoss()
    {
        // The benchmark must time real training: on its fixed batch, Adam steps have to fit it.
        var vae = new BenchVae();
        float first = vae.Step();
        float last = first;
        for (int i = 0; i < 60; i++) last = vae.Step();
        // At initialisation the decoder predicts p ≈ ½ for every pixel: 784·ln 2 ≈ 543 nats per image. Random
        // pixels leave little to learn, so the loss falls slowly (≈ 6.5 nats in 60 steps with these seeds),
        // but steadily: the step-to-step wobble from sampling z is well under a nat.
        Assert.InRange(first, 500f, 600f);
        Assert.True(last < first - 4f, $"loss went from {first} to {last} in 60 steps");
    }

    [Fact]
    public void Step_OneOrTwoGemmThreads_GivesBitIdenticalLosses()
    {
        // Every product is deterministic whatever its thread count, so whole training runs are too.
        int saved = Gemm.MaxThreads;
        try
        {
            var losses = new float[2][];
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.MaxThreads = threads;
                var vae = new BenchVae();
                losses[threads - 1] = Enumerable.Range(0, 5).Select(_ => vae.Step()).ToArray();
            }
            Assert.Equal(losses[0], losses[1]);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
