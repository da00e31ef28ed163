namespace Ppl.Runtime.Random;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014),
/// used only to expand a 64-bit seed or key into xoshiro state words. Its finaliser <see cref="Mix"/>
/// is a bijection with full avalanche, so nearby seeds (0, 1, 2, ...) give unrelated states.
/// </summary>
internal static class SplitMix64
{
    /// <summary>The golden-ratio increment 2^64/φ, odd so the Weyl sequence visits every value.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Advances the Weyl state and returns its mixed value.</summary>
    public static ulong Next(ref ulong state)
    {
        state += Gamma;
        return Mix(state);
    }

    /// <summary>The SplitMix64 finaliser (Stafford's "Mix13" variant of the MurmurHash3 finaliser).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
