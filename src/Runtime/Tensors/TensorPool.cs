namespace Ppl.Runtime.Tensors;

/// <summary>
/// Recycles tensors (their storage and the <see cref="Tensor"/> object itself) by exact length. A training step
/// rents the same shapes in the same order every time, and <see cref="ReturnAll"/> stacks the tensors so that the
/// next step pops them back in that order: a steady step gets back each tensor with the shape it asks for and
/// allocates nothing. Not thread-safe: one pool per tape.
/// </summary>
public sealed class TensorPool
{
    const int SmallLengths = 64;   // lengths below this index an array, the rest a dictionary
    readonly Stack<Tensor>?[] small = new Stack<Tensor>?[SmallLengths];
    readonly Dictionary<int, Stack<Tensor>> large = new();
    readonly List<Tensor> rented = new();

    /// <summary>Tensors currently rented (for tests and diagnostics).</summary>
    public int RentedCount => rented.Count;

    /// <summary>A tensor of <paramref name="shape"/> over a pooled buffer, contents undefined unless <paramref name="clear"/>.</summary>
    public Tensor Rent(int[] shape, bool clear)
    {
        int length = Shapes.Size(shape);
        var stack = Free(length, create: false);
        Tensor t;
        if (stack is not null && stack.TryPop(out var old))
        {
            // Same storage, and the same object when the shape matches (the steady state).
            t = Shapes.Equal(old.Shape, shape) ? old : new Tensor(old.Storage, 0, shape);
            if (clear) Array.Clear(t.Storage);
        }
        else t = new Tensor(new float[length], 0, shape);
        rented.Add(t);
        return t;
    }

    /// <summary>Returns every rented tensor. Tensors that used them must not be read afterwards.</summary>
    public void ReturnAll()
    {
        // Pushed last first, so the next step pops them in the order this one rented them.
        for (int i = rented.Count - 1; i >= 0; i--) Free(rented[i].Size, create: true)!.Push(rented[i]);
        rented.Clear();
    }

    Stack<Tensor>? Free(int length, bool create)
    {
        if (length < SmallLengths)
            return small[length] ?? (create ? small[length] = new Stack<Tensor>() : null);
        if (large.TryGetValue(length, out var s)) return s;
        return create ? large[length] = new Stack<Tensor>() : null;
    }
}
