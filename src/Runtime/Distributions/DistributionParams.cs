using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>Shape and allocation helpers shared by the distribution classes.</summary>
public static class DistributionParams
{
    /// <summary>The shape of one parameter: the batch shape of a scalar distribution (shared, never mutated).</summary>
    public static int[] BatchShape(Var parameter) => parameter.Shape;

    /// <summary>The broadcast of two parameters' shapes, without allocating when one of them is it (shared, never mutated).</summary>
    public static int[] BatchShape(Var a, Var b) => Shapes.BroadcastShared(a.Shape, b.Shape);

    /// <summary>The broadcast of the parameters' shapes: the batch shape of a scalar distribution.</summary>
    public static int[] BatchShape(params Var[] parameters)
    {
        int[] s = Shapes.Scalar;
        foreach (var p in parameters) s = Shapes.Broadcast(s, p.Shape);
        return s;
    }

    /// <summary>
    /// The tape a constant parameter's expansion is pooled on, while <see cref="ExpandOn"/> runs (a model's
    /// <c>z[n] ~ Normal(zeros(20), ones(20))</c> broadcasts two constants to the minibatch every step; fresh arrays
    /// made that most of what a VAE step allocated).
    /// </summary>
    [ThreadStatic] static Tape? expansionTape;

    /// <summary>A parameter broadcast to a (larger) batch shape, for <see cref="Distribution.Expand"/>.</summary>
    public static Var Expand(Var parameter, int[] batchShape)
    {
        if (parameter.Tape is null && expansionTape is { } tape && !Shapes.Equal(parameter.Shape, batchShape))
        {
            var pooled = tape.Const(parameter.Value);
            pooled.Provenance = parameter.Provenance;
            return Ops.BroadcastTo(pooled, batchShape);
        }
        return Ops.BroadcastTo(parameter, batchShape);
    }

    /// <summary>
    /// <paramref name="distribution"/>.Expand(<paramref name="batchShape"/>) with constant parameters broadcast into
    /// buffers of <paramref name="tape"/> (valid until it is reset, like everything else of the run) instead of new arrays.
    /// </summary>
    internal static Distribution ExpandOn(Distribution distribution, int[] batchShape, Tape? tape)
    {
        if (tape is null) return distribution.Expand(batchShape);
        var saved = expansionTape;
        expansionTape = tape;
        try
        {
            return distribution.Expand(batchShape);
        }
        finally
        {
            expansionTape = saved;
        }
    }

    /// <summary>
    /// A noise tensor of the given shape, pooled on the tape of <paramref name="like"/> when it has one, wrapped as a
    /// constant so that ops combining it with the parameters stay on that tape.
    /// </summary>
    public static Var Noise(Var like, int[] shape, Action<Span<float>> fill)
    {
        var noise = Noise(like, shape);
        fill(noise.Value.Span);
        return noise;
    }

    /// <summary><see cref="Noise(Var, int[], Action{Span{float}})"/> left for the caller to fill (no delegate per draw).</summary>
    public static Var Noise(Var like, int[] shape)
    {
        var t = like.Tape is { } tape ? tape.Alloc(shape) : Tensor.Zeros(shape);
        return like.Tape is { } tp ? tp.Const(t) : Var.Const(t);
    }

    /// <summary>A parameter's value broadcast to the batch shape (itself when it already has that shape), for samplers
    /// that walk the batch element by element.</summary>
    public static Tensor BroadcastValues(Tensor value, int[] batchShape)
    {
        if (Shapes.Equal(value.Shape, batchShape)) return value;
        var t = Tensor.Zeros(batchShape);
        BinaryKernels.BroadcastInto(value, t);
        return t;
    }

    /// <summary>
    /// The values 0..n−1 of a finite discrete support, each filling one slice of a new leading axis: shape
    /// [n] ++ batchShape (what <see cref="Distribution.EnumerateSupport"/> returns for scalar events).
    /// </summary>
    public static Tensor EnumerateValues(int n, int[] batchShape)
    {
        var t = Tensor.Zeros([n, .. batchShape]);
        int m = Shapes.Size(batchShape);
        var s = t.Span;
        for (int k = 0; k < n; k++) s.Slice(k * m, m).Fill(k);
        return t;
    }

    /// <summary>½·log(2π).</summary>
    public const float HalfLog2Pi = 0.918938533204672742f;
}
