using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Params;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Params;

public class ParamStoreLaneTests
{
    // Longer than one chunk of the mean (4,096 floats) and odd, so the parts and chunks end unevenly.
    const int Size = 10_001;

    static (ParamStore Store, ParamStore[] Lanes) WithLanes(int count)
    {
        var store = new ParamStore();
        var lanes = Enumerable.Range(0, count).Select(_ => store.NewLane()).ToArray();
        for (int r = 0; r < count; r++)
        {
            lanes[r].Get("w", () => Tensor.Zeros(Size), Constraint.Real, null);
            var g = lanes[r]["w"].Unconstrained.Grad!.Span;
            for (int i = 0; i < Size; i++) g[i] = 0.001f * i - r;
        }
        return (store, lanes);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SetGradToMeanOf_IsTheMeanAndSaysWhetherItsPartIsFinite(int count)
    {
        var (store, lanes) = WithLanes(count);
        Assert.True(store.SetGradToMeanOf(lanes, 0, 2));
        Assert.True(store.SetGradToMeanOf(lanes, 1, 2));
        var mean = store["w"].Unconstrained.Grad!.Span;
        for (int i = 0; i < Size; i += 997) Assert.Equal(0.001f * i - (count - 1) / 2f, mean[i], 1e-4f);

        // A NaN in the last lane at an element of part 1, past the first chunk: only part 1 says so; an infinity in
        // part 0 (whose mean is then infinite) makes part 0 say so too.
        lanes[^1]["w"].Unconstrained.Grad!.Span[Size - 3] = float.NaN;
        Assert.True(store.SetGradToMeanOf(lanes, 0, 2));
        Assert.False(store.SetGradToMeanOf(lanes, 1, 2));
        lanes[0]["w"].Unconstrained.Grad!.Span[4_500] = float.PositiveInfinity;
        Assert.False(store.SetGradToMeanOf(lanes, 0, 2));
        Assert.False(store.SetGradToMeanOf(lanes));
    }
}
