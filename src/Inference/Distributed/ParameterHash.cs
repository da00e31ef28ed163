using Ppl.Runtime.Params;

namespace Ppl.Inference.Distributed;

/// <summary>A 64-bit FNV-1a hash of a parameter store: names, shapes and the exact bits of every unconstrained value.</summary>
public static class ParameterHash
{
    const ulong Offset = 14695981039346656037UL, Prime = 1099511628211UL;

    /// <summary>The hash of <paramref name="store"/>, in its creation order; equal stores give equal hashes on any machine.</summary>
    public static ulong Of(ParamStore store)
    {
        ulong h = Offset;
        foreach (var e in store.Entries)
        {
            foreach (char c in e.Name) h = (h ^ c) * Prime;
            foreach (int d in e.Unconstrained.Shape) h = (h ^ (uint)d) * Prime;
            foreach (float x in e.Unconstrained.Value.Span) h = (h ^ BitConverter.SingleToUInt32Bits(x)) * Prime;
        }
        return h;
    }
}
