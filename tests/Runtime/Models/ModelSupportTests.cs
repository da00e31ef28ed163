using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using RNormal = Ppl.Runtime.Distributions.Normal;

namespace Ppl.Runtime.Tests.Models;

public class ModelSupportTests
{
    [Fact]
    public void Unsqueeze_InsertsAxesInPlace() =>
        Assert.Equal([2, 1, 1, 3], ModelSupport.Unsqueeze(Var.Const(Tensor.Zeros(2, 3)), 1, 2).Shape);

    [Fact]
    public void SumLast_ReducesOnlyTrailingAxes()
    {
        var x = Var.Const(Tensor.FromArray([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2));
        Assert.Equal(new float[] { 10, 26 }, ModelSupport.SumLast(x, 2).Value.ToArray());
    }

    [Fact]
    public void Name_FormatsLoopIndicesInvariantly() => Assert.Equal("z[1, 12]", ModelSupport.Name("z", 1, 12));

    [Fact]
    public void Observe_ScalarDistributionOverPlate_ExpandsToPlateSize()
    {
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(1)).With(trace);
        ModelSupport.Observe(ctx, "y", new RNormal(0f, 1f), Var.Const(Tensor.Vector(0f, 1f, 2f)), [3], SiteLocation.None);
        var site = trace.Trace["y"];
        Assert.Equal([3], site.Distribution!.BatchShape);
        double expected = 0;
        foreach (var v in new[] { 0.0, 1.0, 2.0 }) expected += MathNet.Numerics.Distributions.Normal.PDFLn(0, 1, v);
        Assert.Equal(expected, trace.Trace.LogJoint().ToScalar(), 4);
    }

    [Fact]
    public void Observe_ValueBroadcastToDistribution()
    {
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(1)).With(trace);
        ModelSupport.Observe(ctx, "y", new RNormal(Var.Const(Tensor.Vector(0f, 1f)), 1f), 0.5f, [], SiteLocation.None);
        Assert.Equal([2], trace.Trace["y"].Value!.Shape);
    }
}
