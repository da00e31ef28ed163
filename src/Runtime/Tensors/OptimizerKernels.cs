using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppl.Runtime.Tensors;

/// <summary>Fused, vectorised parameter updates for the optimizers (one pass over each parameter).</summary>
public static class OptimizerKernels
{
    /// <summary>Moments smaller than this are flushed to zero (far below anything that moves a parameter).</summary>
    public const float FlushBelow = 1e-30f;

    /// <summary>
    /// One Adam update (Kingma &amp; Ba 2015, Algorithm 1): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
    /// p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Weight decay (L2, added to g) when
    /// <paramref name="weightDecay"/> &gt; 0. Moments below <see cref="FlushBelow"/> in magnitude are set to zero:
    /// a weight whose gradient stays zero (a dead ReLU unit) would otherwise decay its moments into subnormal floats,
    /// and subnormal arithmetic runs many times slower on x86 (a VAE run halved its speed after ~700 steps).
    /// </summary>
    public static void AdamStep(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float lr, float beta1, float beta2, float eps, int t, float weightDecay = 0f)
    {
        int parts = Math.Min(Gemm.MaxThreads, p.Length / MinParallelLength);
        if (parts >= 2) AdamStepParallel(p, g, m, v, lr, beta1, beta2, eps, t, weightDecay, parts);
        else AdamStepRange(p, g, m, v, lr, beta1, beta2, eps, t, weightDecay);
    }

    /// <summary>
    /// Elements per part below which an update stays on one thread: the VAE's two 313K-weight layers are split, a
    /// bias or a small net's layer is not (a hand-off to a worker costs a few microseconds, an element about a
    /// nanosecond).
    /// </summary>
    public const int MinParallelLength = 1 << 16;

    /// <summary>
    /// The same update cut into <paramref name="parts"/> contiguous ranges run by the <see cref="WorkerTeam"/>. Every
    /// element's update reads and writes only its own p, m and v, so the result does not depend on the cut.
    /// </summary>
    static unsafe void AdamStepParallel(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float lr, float beta1, float beta2, float eps, int t, float weightDecay, int parts)
    {
        fixed (float* pp = p, gp = g, mp = m, vp = v)
        {
            var job = new AdamJob
            {
                P = pp, G = gp, M = mp, V = vp, Length = p.Length, Parts = parts,
                Lr = lr, Beta1 = beta1, Beta2 = beta2, Eps = eps, T = t, WeightDecay = weightDecay,
            };
            WorkerTeam.Run(&job, &AdamJob.RunPartOf, parts);
        }
    }

    /// <summary>One Adam update over pinned arrays, cut into contiguous ranges.</summary>
    unsafe struct AdamJob
    {
        public float* P, G, M, V;
        public int Length, Parts, T;
        public float Lr, Beta1, Beta2, Eps, WeightDecay;

        public static void RunPartOf(void* context, int part)
        {
            ref var j = ref *(AdamJob*)context;
            int lo = (int)((long)part * j.Length / j.Parts), len = (int)((long)(part + 1) * j.Length / j.Parts) - lo;
            AdamStepRange(new Span<float>(j.P + lo, len), new ReadOnlySpan<float>(j.G + lo, len),
                new Span<float>(j.M + lo, len), new Span<float>(j.V + lo, len), j.Lr, j.Beta1, j.Beta2, j.Eps, j.T, j.WeightDecay, streamP: true);
        }
    }

    /// <summary>
    /// The update over one range. <paramref name="streamP"/> writes the parameters with non-temporal stores, past the
    /// caches: in a step split across the cores every core has just read every weight (each minibatch half runs the
    /// whole network), so an ordinary store must first take each line back from the other core's cache. On the 2-vCPU
    /// VMs we measure on that cost the VAE's Adam 0.96–1.0 ms on two threads against 0.53–0.58 on one, when the host was
    /// busy; not storing the parameters at all took it to 0.48 ms, and streaming them to 0.78–0.81 ms (vae-fit 36.8k →
    /// 39.3k images/s). On one thread streaming is slower (0.65–0.71 ms: the next forward pass then reads the weights
    /// from memory), so the serial path does not stream. The values written are the same either way.
    /// </summary>
    static unsafe void AdamStepRange(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float lr, float beta1, float beta2, float eps, int t, float weightDecay, bool streamP = false)
    {
        float c1 = 1f / (1f - MathF.Pow(beta1, t)), c2 = 1f / (1f - MathF.Pow(beta2, t));
        float a1 = 1f - beta1, a2 = 1f - beta2;
        int i = 0;
        fixed (float* pp = p)
        {
            bool stream = streamP && Avx.IsSupported && Vector<float>.Count == Vector256<float>.Count;
            if (stream)
            {
                // Aligned stores only: scalar updates up to the first 32-byte boundary (the same values as the vector path).
                i = Math.Min(p.Length, (int)((32 - ((nint)pp & 31)) & 31) / sizeof(float));
                Scalar(p, g, m, v, 0, i, lr, beta1, beta2, eps, weightDecay, c1, c2);
            }
            if (Vector.IsHardwareAccelerated)
            {
                int w = Vector<float>.Count;
                var vb1 = new Vector<float>(beta1); var vb2 = new Vector<float>(beta2);
                var va1 = new Vector<float>(a1); var va2 = new Vector<float>(a2);
                var vc1 = new Vector<float>(c1); var vc2 = new Vector<float>(c2);
                var vlr = new Vector<float>(lr); var veps = new Vector<float>(eps); var vwd = new Vector<float>(weightDecay);
                var vflush = new Vector<float>(FlushBelow);
                for (; i <= p.Length - w; i += w)
                {
                    var pv = new Vector<float>(p.Slice(i));
                    var gv = new Vector<float>(g.Slice(i)) + vwd * pv;
                    var mv = vb1 * new Vector<float>(m.Slice(i)) + va1 * gv;
                    var vv = vb2 * new Vector<float>(v.Slice(i)) + va2 * gv * gv;
                    mv = Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(mv), vflush), Vector<float>.Zero, mv);
                    vv = Vector.ConditionalSelect(Vector.LessThan(vv, vflush), Vector<float>.Zero, vv);
                    mv.CopyTo(m.Slice(i));
                    vv.CopyTo(v.Slice(i));
                    var next = pv - vlr * (mv * vc1) / (Vector.SquareRoot(vv * vc2) + veps);
                    if (stream) Avx.StoreAlignedNonTemporal(pp + i, next.AsVector256());
                    else next.CopyTo(p.Slice(i));
                }
            }
            Scalar(p, g, m, v, i, p.Length, lr, beta1, beta2, eps, weightDecay, c1, c2);
            // Streamed stores are weakly ordered: make them visible before the part reports itself done.
            if (stream) Sse.StoreFence();
        }
    }

    /// <summary>Elements [<paramref name="from"/>, <paramref name="to"/>) of the update, one at a time: the vector path's values.</summary>
    static void Scalar(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, int from, int to,
        float lr, float beta1, float beta2, float eps, float weightDecay, float c1, float c2)
    {
        float a1 = 1f - beta1, a2 = 1f - beta2;
        for (int i = from; i < to; i++)
        {
            float gi = g[i] + weightDecay * p[i];
            m[i] = beta1 * m[i] + a1 * gi;
            v[i] = beta2 * v[i] + a2 * gi * gi;
            if (MathF.Abs(m[i]) < FlushBelow) m[i] = 0f;
            if (v[i] < FlushBelow) v[i] = 0f;
            p[i] -= lr * (m[i] * c1) / (MathF.Sqrt(v[i] * c2) + eps);
        }
    }
}
