using System.Runtime.CompilerServices;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// One thread's packing buffers, kept for the life of the thread so a product in steady state allocates
/// nothing. The buffers are pinned and 64-byte aligned so every packed vector load stays within one cache
/// line (a misaligned 64-byte load always splits across two).
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    [ThreadStatic] static GemmWorkspace? current;

    /// <summary>The calling thread's workspace.</summary>
    public static GemmWorkspace Current => current ??= new GemmWorkspace();

    readonly Buffer a = new(), b = new();

    /// <summary>Room for a packed block of A, at least <paramref name="length"/> floats.</summary>
    public float* PackedA(int length) => a.Get(length);

    /// <summary>Room for a packed block of B, at least <paramref name="length"/> floats.</summary>
    public float* PackedB(int length) => b.Get(length);

    sealed class Buffer
    {
        float[]? array;
        float* aligned;
        int capacity;

        public float* Get(int length)
        {
            if (length > capacity)
            {
                // Pinned arrays live on the pinned object heap, so the aligned pointer stays valid.
                array = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
                aligned = (float*)(((nint)Unsafe.AsPointer(ref array[0]) + 63) & ~(nint)63);
                capacity = length;
            }
            return aligned;
        }
    }
}
