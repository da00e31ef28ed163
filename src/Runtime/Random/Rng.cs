using System.Numerics;

namespace Ppl.Runtime.Random;

/// <summary>
/// A seeded, splittable pseudo-random generator: xoshiro256** (Blackman &amp; Vigna, "Scrambled linear
/// pseudorandom number generators", ACM TOMS 2021) with its state expanded from the seed by SplitMix64.
/// </summary>
/// <remarks>
/// <para><b>Streams.</b> An <see cref="Rng"/> holds two independent streams, both derived from the seed:
/// the scalar stream (every method returning one value) and an 8-lane stream used by the
/// <c>Fill*</c> methods, seeded from the scalar stream on first use. Each call's output is a pure
/// function of the generator's state and the call's arguments, so the same sequence of calls on the
/// same seed gives the same numbers on every run and any thread count. The raw bits, the uniforms and
/// <see cref="FillNormal(Span{float})"/> are also the same on every machine and SIMD width (integer
/// arithmetic, IEEE-exact float operations and fused multiply-adds only). Samplers that call
/// <c>Math.Log</c>/<c>Exp</c> rely on the platform's math library, which may differ in the last bit
/// between operating systems, so in rare cases an acceptance test can go the other way there.</para>
/// <para><b>Parallel work.</b> An instance is not thread-safe. To use randomness from several threads
/// and still get results that do not depend on the thread count or the scheduling, cut the work into
/// chunks whose boundaries do not depend on the thread count, and give chunk <c>i</c> the generator
/// <c>rng.Fork(i)</c>: <see cref="Fork"/> is a pure function of the parent's state and the id, does
/// not advance the parent, and so can be called from any thread in any order. Advance the parent
/// (e.g. with <see cref="Split"/> or any draw) before the next parallel region, or it will hand out
/// the same children again.</para>
/// </remarks>
public sealed partial class Rng
{
    // Domain separators so that seeding, splitting, forking and the wide stream never feed the same
    // value into SplitMix64 for structurally different purposes.
    private const ulong SplitDomain = 0x5EED_5B17_0000_0001UL;
    private const ulong ForkDomain = 0x5EED_F02C_0000_0002UL;
    private const ulong WideDomain = 0x5EED_3D1D_0000_0003UL;

    private ulong _s0, _s1, _s2, _s3;
    private WideXoshiro.State _wide;
    private bool _wideSeeded;

    /// <summary>Creates the generator for <paramref name="seed"/>; every seed, 0 included, is valid.</summary>
    public Rng(ulong seed) => SeedFrom(seed);

    private Rng() { }

    private void SeedFrom(ulong key)
    {
        ulong sm = key;
        _s0 = SplitMix64.Next(ref sm);
        _s1 = SplitMix64.Next(ref sm);
        _s2 = SplitMix64.Next(ref sm);
        _s3 = SplitMix64.Next(ref sm);
        // xoshiro's only forbidden state is all zeros; SplitMix64 outputs four consecutive values of a
        // bijection of distinct inputs, so at most one of them can be zero.
        _wideSeeded = false;
    }

    /// <summary>
    /// Returns a new generator whose stream is independent of this one's, and advances this generator
    /// by one draw. Use it to hand a sub-computation its own stream in sequential code.
    /// </summary>
    public Rng Split()
    {
        var child = new Rng();
        child.SeedFrom(SplitMix64.Mix(NextULong() ^ SplitDomain));
        return child;
    }

    /// <summary>
    /// Returns the child stream number <paramref name="streamId"/> of this generator's current state,
    /// without advancing this generator. The same state and id always give the same child, whichever
    /// thread asks and in whatever order, which is what makes chunked parallel sampling reproducible.
    /// Distinct ids give independent streams (the key hashes all 256 state bits and the id).
    /// </summary>
    public Rng Fork(ulong streamId)
    {
        var child = new Rng();
        child.SeedFrom(ForkKey(streamId));
        return child;
    }

    private ulong ForkKey(ulong streamId)
    {
        ulong h = SplitMix64.Mix(streamId ^ ForkDomain);
        h = SplitMix64.Mix(h ^ _s0);
        h = SplitMix64.Mix(h + _s1);
        h = SplitMix64.Mix(h ^ _s2);
        return SplitMix64.Mix(h + _s3);
    }

    /// <summary>The next 64 uniformly random bits of the scalar stream.</summary>
    public ulong NextULong()
    {
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        _s0 = s0; _s1 = s1; _s2 = s2; _s3 = s3;
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits (every multiple of 2^-53 equally likely).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on the open interval (0, 1): multiples of 2^-52 shifted by half a step, so a
    /// logarithm or a division by it is always finite.</summary>
    public double NextDoubleOpen() => ((NextULong() >> 12) + 0.5) * (1.0 / (1UL << 52));

    /// <summary>Uniform on [0, 1) with 24 random bits, the full precision of a float there.</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform on the open interval (0, 1) in float: (k + ½)·2^-23, so that 1 − 2^-24 is the
    /// largest value and nothing rounds up to 1.</summary>
    public float NextFloatOpen() => ((NextULong() >> 41) + 0.5f) * (1f / (1 << 23));

    /// <summary>
    /// Uniform integer in [0, <paramref name="n"/>), exactly unbiased (Lemire, "Fast random integer
    /// generation in an interval", ACM TOMACS 2019: multiply-shift with a rejection that is rare).
    /// </summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        uint un = (uint)n;
        ulong m = (NextULong() >> 32) * un;
        uint low = (uint)m;
        if (low < un)
        {
            uint threshold = (0u - un) % un;
            while (low < threshold)
            {
                m = (NextULong() >> 32) * un;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>True with probability <paramref name="p"/> (clamped to [0, 1]).</summary>
    public bool Bernoulli(double p) => NextDouble() < p;
}
