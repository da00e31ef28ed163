using Ppl.Runtime.Params;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Distributed;

/// <summary>A 64-bit FNV-1a hash of parameters: names, shapes and the exact bits of every unconstrained value, in order.</summary>
public static class ParameterHash
{
    const ulong Offset = 14695981039346656037UL, Prime = 1099511628211UL;

    /// <summary>The hash of <paramref name="store"/>, in its creation order; equal stores give equal hashes on any machine.</summary>
    public static ulong Of(ParamStore store)
    {
        ulong h = Offset;
        foreach (var e in store.Entries) h = Add(h, e.Name, e.Unconstrained.Value);
        return h;
    }

    /// <summary>The hash of a parameter file's contents (<see cref="ParamStoreFile.Read"/>): that of the store it was saved from.</summary>
    public static ulong Of(IEnumerable<ParamStoreFile.Saved> saved)
    {
        ulong h = Offset;
        foreach (var p in saved) h = Add(h, p.Name, p.Unconstrained);
        return h;
    }

    static ulong Add(ulong h, string name, Tensor value)
    {
        foreach (char c in name) h = (h ^ c) * Prime;
        foreach (int d in value.Shape) h = (h ^ (uint)d) * Prime;
        foreach (float x in value.Span) h = (h ^ BitConverter.SingleToUInt32Bits(x)) * Prime;
        return h;
    }
}
