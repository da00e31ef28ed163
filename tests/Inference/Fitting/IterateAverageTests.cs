using Ppl.Inference.Fitting;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Params;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Fitting;

public class IterateAverageTests
{
    [Fact]
    public void CopyTo_AfterThreeSteps_WritesTheMeanOfTheIterates()
    {
        var store = new ParamStore();
        store.Get("x", () => new Tensor([1f, -2f], 2), Constraint.Real, null);
        var x = store["x"].Unconstrained;
        var average = new IterateAverage();
        foreach (var (a, b) in new[] { (1f, -2f), (2f, 0f), (6f, 5f) })
        {
            x.Value.Span[0] = a;
            x.Value.Span[1] = b;
            average.Add(store);
        }
        average.CopyTo(store);
        Assert.Equal(3, average.Count);
        Assert.Equal([3f, 1f], x.Value.ToArray());
    }

    [Fact]
    public void CopyTo_NothingAveraged_LeavesTheParameters()
    {
        var store = new ParamStore();
        store.Get("x", () => new Tensor([4f], 1), Constraint.Real, null);
        var x = store["x"].Unconstrained;
        new IterateAverage().CopyTo(store);
        Assert.Equal([4f], x.Value.ToArray());
    }

    [Fact]
    public void Add_ImportedSumsOfAnotherParameter_IsRefusedNamingBoth()
    {
        var store = new ParamStore();
        store.Get("x", () => new Tensor([4f], 1), Constraint.Real, null);
        var average = new IterateAverage();
        average.Import(2, [("y", new double[1])]);
        var e = Assert.Throws<InvalidDataException>(() => average.Add(store));
        Assert.Contains("'y'", e.Message);
        Assert.Contains("'x'", e.Message);
    }
}
