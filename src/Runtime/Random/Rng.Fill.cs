using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Ppl.Runtime.Random;

public sealed partial class Rng
{
    // Each block step draws 8 lanes × 64 bits = 16 × 32 bits. A uniform block is 16 floats; a normal
    // block is 32 floats (16 radii from one step, 16 angles from the next). A tail shorter than a block
    // is cut from one more whole block, so a fill of n values consumes ⌈n/block⌉ blocks.
    private const int UniformBlock = 16, NormalBlock = 32;
    private const float TwoPow24Inv = 1f / (1 << 24), TwoPow23Inv = 1f / (1 << 23);
    private const float TwoPow31Inv = 1f / (1u << 31), TwoPow32Inv = 0.5f / (1u << 31);

    /// <summary>When false the 256-bit path runs even on AVX-512 hardware; tests use it to check that
    /// both widths give identical values.</summary>
    internal static bool Use512 { get; set; } = Vector512.IsHardwareAccelerated;

    private ref WideXoshiro.State Wide
    {
        get
        {
            if (!_wideSeeded)
            {
                WideXoshiro.Seed(ref _wide, SplitMix64.Mix(NextULong() ^ WideDomain));
                _wideSeeded = true;
            }
            return ref _wide;
        }
    }

    /// <summary>Fills <paramref name="dst"/> with independent uniforms on [0, 1) (24 random bits each)
    /// from the 8-lane stream.</summary>
    public void FillUniform(Span<float> dst) => FillUniformCore(dst, 0f, 1f, open: false);

    /// <summary>Fills <paramref name="dst"/> with uniforms on [<paramref name="lo"/>, <paramref name="hi"/>).
    /// lo + (hi − lo)·u is clamped below hi, which rounding could otherwise reach.</summary>
    public void FillUniform(Span<float> dst, float lo, float hi)
    {
        if (!(hi > lo)) throw new ArgumentOutOfRangeException(nameof(hi), "need lo < hi");
        FillUniformCore(dst, lo, hi, open: false);
    }

    /// <summary>Fills <paramref name="dst"/> with uniforms on the open interval (0, 1), (k + ½)·2^-23,
    /// for transforms that take a logarithm (exponential, Gumbel, logistic, Laplace, Cauchy).</summary>
    public void FillUniformOpen(Span<float> dst) => FillUniformCore(dst, 0f, 1f, open: true);

    /// <summary>
    /// Fills <paramref name="dst"/> with independent standard normals by a vectorised Box–Muller transform
    /// (see <see cref="BoxMullerMath"/>). The radius uses 31 random bits, so the largest |z| is
    /// √(2·32·ln 2) ≈ 6.7 (the mass beyond that is 2·10⁻¹¹); the angle uses 24.
    /// </summary>
    public void FillNormal(Span<float> dst)
    {
        if (dst.IsEmpty) return;
        ref WideXoshiro.State st = ref Wide;
        int whole = dst.Length / NormalBlock * NormalBlock;
        if (whole > 0) NormalBlocks(ref st, dst[..whole]);
        if (whole < dst.Length)
        {
            Span<float> block = stackalloc float[NormalBlock];
            NormalBlocks(ref st, block);
            block[..(dst.Length - whole)].CopyTo(dst[whole..]);
        }
    }

    /// <summary>Fills <paramref name="dst"/> with normals of the given mean and standard deviation.</summary>
    public void FillNormal(Span<float> dst, float mean, float stdDev)
    {
        FillNormal(dst);
        for (int i = 0; i < dst.Length; i++) dst[i] = MathF.FusedMultiplyAdd(dst[i], stdDev, mean);
    }

    private void FillUniformCore(Span<float> dst, float lo, float hi, bool open)
    {
        if (dst.IsEmpty) return;
        ref WideXoshiro.State st = ref Wide;
        int whole = dst.Length / UniformBlock * UniformBlock;
        if (whole > 0) UniformBlocks(ref st, dst[..whole], lo, hi, open);
        if (whole < dst.Length)
        {
            Span<float> block = stackalloc float[UniformBlock];
            UniformBlocks(ref st, block, lo, hi, open);
            block[..(dst.Length - whole)].CopyTo(dst[whole..]);
        }
    }

    // dst.Length is a multiple of UniformBlock.
    private static void UniformBlocks(ref WideXoshiro.State st, Span<float> dst, float lo, float hi, bool open)
    {
        ref ulong sw = ref Unsafe.As<WideXoshiro.State, ulong>(ref st);
        ref float d = ref MemoryMarshal.GetReference(dst);
        float scale = hi - lo, top = MathF.BitDecrement(hi);
        bool affine = lo != 0f || hi != 1f;
        // Uniform: (k >> 8)·2^-24. Open: ((k >> 9) + ½)·2^-23.
        int shift = open ? 9 : 8;
        float mul = open ? TwoPow23Inv : TwoPow24Inv, add = open ? 0.5f * TwoPow23Inv : 0f;
        if (Use512)
        {
            var s0 = Vector512.LoadUnsafe(ref sw, 0); var s1 = Vector512.LoadUnsafe(ref sw, 8);
            var s2 = Vector512.LoadUnsafe(ref sw, 16); var s3 = Vector512.LoadUnsafe(ref sw, 24);
            var vmul = Vector512.Create(mul); var vadd = Vector512.Create(add);
            for (nuint i = 0; i < (nuint)dst.Length; i += UniformBlock)
            {
                Vector512<ulong> r = WideXoshiro.Next(ref s0, ref s1, ref s2, ref s3);
                var u = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle((r.AsUInt32() >>> shift).AsInt32()), vmul, vadd);
                if (affine)
                    u = Vector512.Min(Vector512.FusedMultiplyAdd(u, Vector512.Create(scale), Vector512.Create(lo)), Vector512.Create(top));
                u.StoreUnsafe(ref d, i);
            }
            s0.StoreUnsafe(ref sw, 0); s1.StoreUnsafe(ref sw, 8); s2.StoreUnsafe(ref sw, 16); s3.StoreUnsafe(ref sw, 24);
        }
        else
        {
            var a0 = Vector256.LoadUnsafe(ref sw, 0); var a1 = Vector256.LoadUnsafe(ref sw, 8);
            var a2 = Vector256.LoadUnsafe(ref sw, 16); var a3 = Vector256.LoadUnsafe(ref sw, 24);
            var b0 = Vector256.LoadUnsafe(ref sw, 4); var b1 = Vector256.LoadUnsafe(ref sw, 12);
            var b2 = Vector256.LoadUnsafe(ref sw, 20); var b3 = Vector256.LoadUnsafe(ref sw, 28);
            var vmul = Vector256.Create(mul); var vadd = Vector256.Create(add);
            for (nuint i = 0; i < (nuint)dst.Length; i += UniformBlock)
            {
                Vector256<ulong> ra = WideXoshiro.Next(ref a0, ref a1, ref a2, ref a3);
                Vector256<ulong> rb = WideXoshiro.Next(ref b0, ref b1, ref b2, ref b3);
                var ua = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle((ra.AsUInt32() >>> shift).AsInt32()), vmul, vadd);
                var ub = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle((rb.AsUInt32() >>> shift).AsInt32()), vmul, vadd);
                if (affine)
                {
                    ua = Vector256.Min(Vector256.FusedMultiplyAdd(ua, Vector256.Create(scale), Vector256.Create(lo)), Vector256.Create(top));
                    ub = Vector256.Min(Vector256.FusedMultiplyAdd(ub, Vector256.Create(scale), Vector256.Create(lo)), Vector256.Create(top));
                }
                ua.StoreUnsafe(ref d, i);
                ub.StoreUnsafe(ref d, i + 8);
            }
            a0.StoreUnsafe(ref sw, 0); a1.StoreUnsafe(ref sw, 8); a2.StoreUnsafe(ref sw, 16); a3.StoreUnsafe(ref sw, 24);
            b0.StoreUnsafe(ref sw, 4); b1.StoreUnsafe(ref sw, 12); b2.StoreUnsafe(ref sw, 20); b3.StoreUnsafe(ref sw, 28);
        }
    }

    // dst.Length is a multiple of NormalBlock. Radius from step A (u₁ = k·2^-31 + 2^-32 ∈ (0, 1]),
    // angle from step B (2π·k/2²⁴ with k the top 24 bits); cosines fill the first 16 slots, sines the next 16.
    private static void NormalBlocks(ref WideXoshiro.State st, Span<float> dst)
    {
        ref ulong sw = ref Unsafe.As<WideXoshiro.State, ulong>(ref st);
        ref float d = ref MemoryMarshal.GetReference(dst);
        if (Use512)
        {
            var s0 = Vector512.LoadUnsafe(ref sw, 0); var s1 = Vector512.LoadUnsafe(ref sw, 8);
            var s2 = Vector512.LoadUnsafe(ref sw, 16); var s3 = Vector512.LoadUnsafe(ref sw, 24);
            for (nuint i = 0; i < (nuint)dst.Length; i += NormalBlock)
            {
                Vector512<ulong> ra = WideXoshiro.Next(ref s0, ref s1, ref s2, ref s3);
                Vector512<ulong> rb = WideXoshiro.Next(ref s0, ref s1, ref s2, ref s3);
                BoxMuller(ra, rb, out var z0, out var z1);
                z0.StoreUnsafe(ref d, i);
                z1.StoreUnsafe(ref d, i + 16);
            }
            s0.StoreUnsafe(ref sw, 0); s1.StoreUnsafe(ref sw, 8); s2.StoreUnsafe(ref sw, 16); s3.StoreUnsafe(ref sw, 24);
        }
        else
        {
            var a0 = Vector256.LoadUnsafe(ref sw, 0); var a1 = Vector256.LoadUnsafe(ref sw, 8);
            var a2 = Vector256.LoadUnsafe(ref sw, 16); var a3 = Vector256.LoadUnsafe(ref sw, 24);
            var b0 = Vector256.LoadUnsafe(ref sw, 4); var b1 = Vector256.LoadUnsafe(ref sw, 12);
            var b2 = Vector256.LoadUnsafe(ref sw, 20); var b3 = Vector256.LoadUnsafe(ref sw, 28);
            for (nuint i = 0; i < (nuint)dst.Length; i += NormalBlock)
            {
                Vector256<ulong> raLo = WideXoshiro.Next(ref a0, ref a1, ref a2, ref a3);
                Vector256<ulong> raHi = WideXoshiro.Next(ref b0, ref b1, ref b2, ref b3);
                Vector256<ulong> rbLo = WideXoshiro.Next(ref a0, ref a1, ref a2, ref a3);
                Vector256<ulong> rbHi = WideXoshiro.Next(ref b0, ref b1, ref b2, ref b3);
                BoxMuller(raLo, rbLo, out var z0Lo, out var z1Lo);
                BoxMuller(raHi, rbHi, out var z0Hi, out var z1Hi);
                z0Lo.StoreUnsafe(ref d, i);
                z0Hi.StoreUnsafe(ref d, i + 8);
                z1Lo.StoreUnsafe(ref d, i + 16);
                z1Hi.StoreUnsafe(ref d, i + 24);
            }
            a0.StoreUnsafe(ref sw, 0); a1.StoreUnsafe(ref sw, 8); a2.StoreUnsafe(ref sw, 16); a3.StoreUnsafe(ref sw, 24);
            b0.StoreUnsafe(ref sw, 4); b1.StoreUnsafe(ref sw, 12); b2.StoreUnsafe(ref sw, 20); b3.StoreUnsafe(ref sw, 28);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BoxMuller(Vector512<ulong> ra, Vector512<ulong> rb, out Vector512<float> z0, out Vector512<float> z1)
    {
        var u1 = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle((ra.AsUInt32() >>> 1).AsInt32()),
            Vector512.Create(TwoPow31Inv), Vector512.Create(TwoPow32Inv));
        // ln u₁ ≤ 0, so the square root's argument is ≥ 0 (−0 at u₁ = 1, which gives a harmless ±0).
        var radius = Vector512.Sqrt(BoxMullerMath.Log(u1) * -2f);
        BoxMullerMath.SinCosTurns((rb.AsUInt32() >>> 8).AsInt32(), out var sin, out var cos);
        z0 = radius * cos;
        z1 = radius * sin;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BoxMuller(Vector256<ulong> ra, Vector256<ulong> rb, out Vector256<float> z0, out Vector256<float> z1)
    {
        var u1 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle((ra.AsUInt32() >>> 1).AsInt32()),
            Vector256.Create(TwoPow31Inv), Vector256.Create(TwoPow32Inv));
        // ln u₁ ≤ 0, so the square root's argument is ≥ 0 (−0 at u₁ = 1, which gives a harmless ±0).
        var radius = Vector256.Sqrt(BoxMullerMath.Log(u1) * -2f);
        BoxMullerMath.SinCosTurns((rb.AsUInt32() >>> 8).AsInt32(), out var sin, out var cos);
        z0 = radius * cos;
        z1 = radius * sin;
    }
}
