using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
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
}
