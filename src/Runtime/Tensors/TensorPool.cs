namespace Ppl.Runtime.Tensors;

/// <summary>
/// Recycles float buffers by exact length. A training step allocates the same shapes every time, so
/// exact-size buckets reach a steady state where a step rents only buffers returned by the previous one.
/// Not thread-safe: one pool per tape.
/// </summary>
public sealed class TensorPool
{
    readonly Dictionary<int, Stack<float[]>> free = new();
    readonly List<float[]> rented = new();

    /// <summary>Buffers currently rented (for tests and diagnostics).</summary>
    public int RentedCount => rented.Count;

    /// <summary>A buffer of exactly <paramref name="length"/> floats, contents undefined unless <paramref name="clear"/>.</summary>
    public float[] Rent(int length, bool clear)
    {
        float[] buf;
        if (free.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            buf = stack.Pop();
            if (clear) Array.Clear(buf);
        }
        else buf = new float[length];
        rented.Add(buf);
        return buf;
    }

    /// <summary>Returns every rented buffer. Tensors that used them must not be read afterwards.</summary>
    public void ReturnAll()
    {
        foreach (var buf in rented)
        {
            if (!free.TryGetValue(buf.Length, out var stack)) free[buf.Length] = stack = new Stack<float[]>();
            stack.Push(buf);
        }
        rented.Clear();
    }
}
