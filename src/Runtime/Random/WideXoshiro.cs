using System.Runtime.CompilerServices;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppl.Runtime.Random;

/// <summary>
/// Eight independent xoshiro256** lanes stepped together, for the bulk <c>Fill*</c> methods. The lanes
/// are a fixed part of the stream's definition: a 512-bit register holds all eight, two 256-bit
/// registers hold lanes 0–3 and 4–7, and both produce the same bits in the same order.
/// </summary>
internal static class WideXoshiro
{
    public const int Lanes = 8;

    /// <summary>The 8×4 state words; word w of lane l is at index 8w + l so a word loads as one vector.</summary>
    [InlineArray(32)]
    public struct State
    {
        private ulong _element0;
    }

    /// <summary>Fills the lanes from a SplitMix64 sequence keyed by <paramref name="key"/>. The 32
    /// outputs are a bijection of distinct inputs, so at most one is zero and no lane is all-zero.</summary>
    public static void Seed(ref State state, ulong key)
    {
        ulong sm = key;
        for (int i = 0; i < 32; i++) state[i] = SplitMix64.Next(ref sm);
    }

    /// <summary>One xoshiro256** step on eight lanes (×5 and ×9 as shift-adds: no 64-bit vector multiply).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Next(ref Vector512<ulong> s0, ref Vector512<ulong> s1,
        ref Vector512<ulong> s2, ref Vector512<ulong> s3)
    {
        Vector512<ulong> m = s1 + (s1 << 2);
        Vector512<ulong> rot = RotateLeft(m, 7);
        Vector512<ulong> result = rot + (rot << 3);
        Vector512<ulong> t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    // vprolq when AVX-512 is there (one instruction instead of three); the shift pair otherwise.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> RotateLeft(Vector512<ulong> x, [ConstantExpected] byte k) =>
        Avx512F.IsSupported ? Avx512F.RotateLeft(x, k) : (x << k) | (x >>> (64 - k));

    /// <summary>The same step on four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Next(ref Vector256<ulong> s0, ref Vector256<ulong> s1,
        ref Vector256<ulong> s2, ref Vector256<ulong> s3)
    {
        Vector256<ulong> m = s1 + (s1 << 2);
        Vector256<ulong> rot = RotateLeft(m, 7);
        Vector256<ulong> result = rot + (rot << 3);
        Vector256<ulong> t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateLeft(Vector256<ulong> x, [ConstantExpected] byte k) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateLeft(x, k) : (x << k) | (x >>> (64 - k));
}
