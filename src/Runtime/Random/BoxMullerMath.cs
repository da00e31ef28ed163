using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Ppl.Runtime.Random;

/// <summary>
/// The two transcendental pieces of the Box–Muller transform (Box &amp; Muller, "A note on the generation
/// of random normal deviates", Ann. Math. Stat. 1958): z₀ = √(−2 ln u₁)·cos 2πu₂, z₁ = √(−2 ln u₁)·sin 2πu₂.
/// </summary>
/// <remarks>
/// Written here rather than taken from <c>Vector512.Log</c>/<c>SinCos</c> so the values are the same for
/// every vector width and machine: only +, ×, fused multiply-add, sqrt and bit operations, all exactly
/// specified by IEEE 754. The angle is a 24-bit fraction of a turn, so the range reduction is integer arithmetic. Polynomials are
/// Cephes' single-precision minimax fits (Moshier, "Methods and Programs for Mathematical Functions", 1989):
/// log on [√½, √2) and sin/cos on [−π/4, π/4], about 1 ulp in float.
/// </remarks>
internal static class BoxMullerMath
{
    private const float Sqrt2 = 1.41421356f;
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float L0 = 7.0376836292E-2f, L1 = -1.1514610310E-1f, L2 = 1.1676998740E-1f,
        L3 = -1.2420140846E-1f, L4 = 1.4249322787E-1f, L5 = -1.6668057665E-1f, L6 = 2.0000714765E-1f,
        L7 = -2.4999993993E-1f, L8 = 3.3333331174E-1f;
    private const float S1 = -1.6666654611E-1f, S2 = 8.3321608736E-3f, S3 = -1.9515295891E-4f;
    private const float C1 = 4.166664568298827E-2f, C2 = -1.388731625493765E-3f, C3 = 2.443315711809948E-5f;
    private const float QuarterTurnPerUnit = (float)(Math.PI / 2 / (1 << 22)); // (π/2)/2²², exact power-of-two scaling of π/2

    /// <summary>ln u for normal positive u (the caller guarantees u ∈ [2^-32, 1]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> u)
    {
        Vector512<int> bits = u.AsInt32();
        Vector512<int> e = (bits >>> 23) - Vector512.Create(127);
        Vector512<float> m = ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F800000)).AsSingle();
        Vector512<float> big = Vector512.GreaterThan(m, Vector512.Create(Sqrt2));
        m = Vector512.ConditionalSelect(big, m * 0.5f, m);
        e -= big.AsInt32(); // a true mask is −1
        Vector512<float> x = m - Vector512<float>.One;
        Vector512<float> ef = Vector512.ConvertToSingle(e);
        Vector512<float> z = x * x;
        Vector512<float> p = Vector512.Create(L0);
        p = Vector512.FusedMultiplyAdd(p, x, Vector512.Create(L1));
        p = Vector512.FusedMultiplyAdd(p, x, Vector512.Create(L2));
        p = Vector512.FusedMultiplyAdd(p, x, Vector512.Create(L3));
        p = Vector512.FusedMultiplyAdd(p, x, Vector512.Create(L4));
        p = Vector512.FusedMultiplyAdd(p, x, Vector512.Create(L5));
        p = Vector512.FusedMultiplyAdd(p, x, Vector512.Create(L6));
        p = Vector512.FusedMultiplyAdd(p, x, Vector512.Create(L7));
        p = Vector512.FusedMultiplyAdd(p, x, Vector512.Create(L8));
        Vector512<float> y = x * z * p;
        y = Vector512.FusedMultiplyAdd(ef, Vector512.Create(Ln2Lo), y);
        y = Vector512.FusedMultiplyAdd(z, Vector512.Create(-0.5f), y);
        return Vector512.FusedMultiplyAdd(ef, Vector512.Create(Ln2Hi), x + y);
    }

    /// <summary>sin 2πk/2²⁴ and cos 2πk/2²⁴ for 24-bit integers k ∈ [0, 2²⁴).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCosTurns(Vector512<int> k, out Vector512<float> sin, out Vector512<float> cos)
    {
        // k = q·2²² + r with q the nearest quarter turn and |r| ≤ 2²¹, in exact integer arithmetic; the angle
        // is q quarter turns plus φ = r·(π/2)/2²², |φ| ≤ π/4.
        Vector512<int> qi = (k + Vector512.Create(1 << 21)) >>> 22;
        Vector512<int> r = k - (qi << 22);
        Vector512<float> phi = Vector512.ConvertToSingle(r) * QuarterTurnPerUnit;
        Vector512<float> z = phi * phi;
        Vector512<float> s = Vector512.FusedMultiplyAdd(Vector512.Create(S3), z, Vector512.Create(S2));
        s = Vector512.FusedMultiplyAdd(s, z, Vector512.Create(S1));
        s = Vector512.FusedMultiplyAdd(s * z, phi, phi);
        Vector512<float> c = Vector512.FusedMultiplyAdd(Vector512.Create(C3), z, Vector512.Create(C2));
        c = Vector512.FusedMultiplyAdd(c, z, Vector512.Create(C1));
        c = Vector512.FusedMultiplyAdd(c * z, z, Vector512.FusedMultiplyAdd(z, Vector512.Create(-0.5f), Vector512<float>.One));
        // Rotate by q quarter turns: odd q swaps sin and cos; sin is negated for q ∈ {2, 3}, cos for q ∈ {1, 2}
        // (q = 4 is a full turn and acts as 0).
        Vector512<float> swap = Vector512.Equals(qi & Vector512<int>.One, Vector512<int>.One).AsSingle();
        Vector512<float> sinQ = Vector512.ConditionalSelect(swap, c, s);
        Vector512<float> cosQ = Vector512.ConditionalSelect(swap, s, c);
        Vector512<int> two = Vector512.Create(2);
        sin = (sinQ.AsInt32() ^ ((qi & two) << 30)).AsSingle();
        cos = (cosQ.AsInt32() ^ (((qi + Vector512<int>.One) & two) << 30)).AsSingle();
    }

    /// <summary>ln u for normal positive u, four-wide twin of the 512-bit version (same operations).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> u)
    {
        Vector256<int> bits = u.AsInt32();
        Vector256<int> e = (bits >>> 23) - Vector256.Create(127);
        Vector256<float> m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).AsSingle();
        Vector256<float> big = Vector256.GreaterThan(m, Vector256.Create(Sqrt2));
        m = Vector256.ConditionalSelect(big, m * 0.5f, m);
        e -= big.AsInt32();
        Vector256<float> x = m - Vector256<float>.One;
        Vector256<float> ef = Vector256.ConvertToSingle(e);
        Vector256<float> z = x * x;
        Vector256<float> p = Vector256.Create(L0);
        p = Vector256.FusedMultiplyAdd(p, x, Vector256.Create(L1));
        p = Vector256.FusedMultiplyAdd(p, x, Vector256.Create(L2));
        p = Vector256.FusedMultiplyAdd(p, x, Vector256.Create(L3));
        p = Vector256.FusedMultiplyAdd(p, x, Vector256.Create(L4));
        p = Vector256.FusedMultiplyAdd(p, x, Vector256.Create(L5));
        p = Vector256.FusedMultiplyAdd(p, x, Vector256.Create(L6));
        p = Vector256.FusedMultiplyAdd(p, x, Vector256.Create(L7));
        p = Vector256.FusedMultiplyAdd(p, x, Vector256.Create(L8));
        Vector256<float> y = x * z * p;
        y = Vector256.FusedMultiplyAdd(ef, Vector256.Create(Ln2Lo), y);
        y = Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), y);
        return Vector256.FusedMultiplyAdd(ef, Vector256.Create(Ln2Hi), x + y);
    }

    /// <summary>sin and cos of 2πk/2²⁴, 256-bit twin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCosTurns(Vector256<int> k, out Vector256<float> sin, out Vector256<float> cos)
    {
        Vector256<int> qi = (k + Vector256.Create(1 << 21)) >>> 22;
        Vector256<int> r = k - (qi << 22);
        Vector256<float> phi = Vector256.ConvertToSingle(r) * QuarterTurnPerUnit;
        Vector256<float> z = phi * phi;
        Vector256<float> s = Vector256.FusedMultiplyAdd(Vector256.Create(S3), z, Vector256.Create(S2));
        s = Vector256.FusedMultiplyAdd(s, z, Vector256.Create(S1));
        s = Vector256.FusedMultiplyAdd(s * z, phi, phi);
        Vector256<float> c = Vector256.FusedMultiplyAdd(Vector256.Create(C3), z, Vector256.Create(C2));
        c = Vector256.FusedMultiplyAdd(c, z, Vector256.Create(C1));
        c = Vector256.FusedMultiplyAdd(c * z, z, Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), Vector256<float>.One));
        Vector256<float> swap = Vector256.Equals(qi & Vector256<int>.One, Vector256<int>.One).AsSingle();
        Vector256<float> sinQ = Vector256.ConditionalSelect(swap, c, s);
        Vector256<float> cosQ = Vector256.ConditionalSelect(swap, s, c);
        Vector256<int> two = Vector256.Create(2);
        sin = (sinQ.AsInt32() ^ ((qi & two) << 30)).AsSingle();
        cos = (cosQ.AsInt32() ^ (((qi + Vector256<int>.One) & two) << 30)).AsSingle();
    }
}
