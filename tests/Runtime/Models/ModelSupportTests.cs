using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

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
    public void DataDefault_Scalar_BroadcastsToTheDeclaredShape() =>
        Assert.Equal(new float[] { 2, 2, 2 }, ModelSupport.DataDefault("w", 2f, [3], SiteLocation.None).ToArray());

    [Fact]
    public void DataDefault_ShapeDoesNotFit_DataExceptionNamesTheItemAndTheLocation()
    {
        var e = Assert.Throws<DataException>(() => ModelSupport.DataDefault("w", Var.Const(Tensor.Vector(1, 2, 3)), [2], new SiteLocation("m.ppl", 4, 21)));
        Assert.Equal("w", e.Item);
        Assert.Contains("m.ppl:4:21", e.Message);
    }
}
