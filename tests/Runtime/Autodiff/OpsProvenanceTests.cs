using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Autodiff;

/// <summary>Provenance: every op's output carries the union of its inputs' non-reparameterized sites.</summary>
public class OpsProvenanceTests
{
    static Var Tagged(Tape tape, string site, params float[] values) =>
        Ops.Tag(tape.Const(Tensor.FromArray(values, values.Length)), SiteSet.Of(site));

    [Fact]
    public void Ops_WithAndWithoutGradient_UnionInputProvenance()
    {
        var tape = new Tape();
        var p = tape.Attach(Var.Parameter(Tensor.Vector(1f, 2f)));
        var z = Tagged(tape, "z", 0f, 1f);
        var w = Tagged(tape, "w", 3f, 4f);
        Assert.Equal(["z"], Ops.Mul(p, z).Provenance!.Names);          // recorded node
        Assert.Equal(["w", "z"], Ops.Add(z, w).Provenance!.Names);      // constant result
        Assert.Equal(["z"], Ops.Sum(Ops.Exp(Ops.Mul(z, 2f))).Provenance!.Names);
        Assert.Equal(["w", "z"], Ops.Stack([z, w], 0).Provenance!.Names);
        Assert.Null(Ops.Mul(p, p).Provenance);
    }

    [Fact]
    public void GatherAndWhere_ByTaggedIndex_CarryTheIndexProvenance()
    {
        var tape = new Tape();
        var mu = tape.Attach(Var.Parameter(Tensor.Vector(-1f, 1f)));
        var z = Tagged(tape, "z", 1f, 0f, 1f);
        var g = Ops.Gather(mu, z);
        Assert.Equal([1f, -1f, 1f], g.Value.ToArray());
        Assert.Equal(["z"], g.Provenance!.Names);
        Assert.Equal(["z"], ModelSupport.Where(z, Ops.BroadcastTo(Ops.Index(mu, 0, 0), 3), 0f).Provenance!.Names);
        // The gradient still reaches mu through the tagged gather.
        tape.Backward(Ops.Sum(g));
        Assert.Equal([1f, 2f], mu.Grad!.ToArray());
    }

    [Fact]
    public void ModelSupportTakeAlong_ByTaggedIndex_CarriesTheIndexProvenance()
    {
        var tape = new Tape();
        var theta = tape.Attach(Var.Parameter(Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 3, 2)));
        var z = Tagged(tape, "z", 1f, 0f, 1f);
        var picked = ModelSupport.TakeAlong(theta, 1, 1, z);
        Assert.Equal([2f, 3f, 6f], picked.Value.ToArray());
        Assert.Equal(["z"], picked.Provenance!.Names);
    }

    [Fact]
    public void DetachAndLogProb_KeepProvenance()
    {
        var tape = new Tape();
        var z = Tagged(tape, "z", 1f);
        Assert.Equal(["z"], Ops.Detach(z).Provenance!.Names);
        Assert.Equal(["z"], new Bernoulli(0.3f).LogProb(z).Provenance!.Names);
    }

    [Fact]
    public void ModelSupportInt_OfTaggedValue_RecordsEscapeOnTape()
    {
        var tape = new Tape();
        var z = Tagged(tape, "z", 2f);
        Assert.Null(tape.TakeEscaped());
        Assert.Equal(2, ModelSupport.Int(z));
        Assert.Equal(["z"], tape.TakeEscaped()!.Names);
        Assert.Null(tape.TakeEscaped());
        _ = ModelSupport.Truth(Tagged(tape, "b", 1f));
        tape.Reset();
        Assert.Null(tape.TakeEscaped());
    }
}
