using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
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

    // Per-element reference: slice every plate element out and multiply with the plain product.
    static float[] PerElementMatMul(Tensor a, int aRank, Tensor b, int bRank, int plates)
    {
        var result = new List<float>();
        for (int p = 0; p < plates; p++)
        {
            var ap = a.Rank > aRank ? Ops.Index(Var.Const(a), 0, a.Shape[0] == 1 ? 0 : p) : Var.Const(a);
            var bp = b.Rank > bRank ? Ops.Index(Var.Const(b), 0, b.Shape[0] == 1 ? 0 : p) : Var.Const(b);
            result.AddRange(Ops.MatMul(ap, bp).Value.ToArray());
        }
        return [.. result];
    }

    [Theory]
    [InlineData(new[] { 4, 3 }, 1, new[] { 3 }, 1)]            // X[n] @ beta
    [InlineData(new[] { 4, 2, 3 }, 2, new[] { 3, 5 }, 2)]      // per-element matrix @ shared matrix
    [InlineData(new[] { 3 }, 1, new[] { 4, 3 }, 1)]            // shared vector @ per-element vector
    [InlineData(new[] { 2, 3 }, 2, new[] { 4, 3 }, 1)]         // shared matrix @ per-element vector
    [InlineData(new[] { 3 }, 1, new[] { 4, 3, 5 }, 2)]         // shared vector @ per-element matrix
    [InlineData(new[] { 2, 3 }, 2, new[] { 4, 3, 5 }, 2)]      // shared matrix @ per-element matrix
    [InlineData(new[] { 4, 3 }, 1, new[] { 4, 3 }, 1)]         // both vary
    [InlineData(new[] { 1, 2, 3 }, 2, new[] { 4, 3, 5 }, 2)]   // both vary, one with a size-1 plate axis
    [InlineData(new[] { 4, 2, 3 }, 2, new[] { 1, 3 }, 1)]
    public void MatMul_PerPlateElement_MatchesTheProductOfEachElement(int[] aShape, int aRank, int[] bShape, int bRank)
    {
        var rng = new System.Random(7);
        Tensor a = GradCheck.RandomTensor(rng, aShape), b = GradCheck.RandomTensor(rng, bShape);
        var y = ModelSupport.MatMul(Var.Const(a), aRank, Var.Const(b), bRank);
        Assert.Equal(4, y.Shape[0]);
        var expected = PerElementMatMul(a, aRank, b, bRank, 4);
        var actual = y.Value.ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
        GradCheck.Check(x => ModelSupport.MatMul(x[0], aRank, x[1], bRank), a, b);
    }

    [Fact]
    public void TakeAlong_IndexAndValueBothPerElement_EachElementTakesItsOwnEntry()
    {
        // theta[z[n]]: theta [3 elements, 4], z [3] → theta[p, z[p]].
        var theta = Tensor.FromArray([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23], 3, 4);
        var z = Var.Const(Tensor.Vector(2, 0, 3));
        Assert.Equal(new float[] { 2, 10, 23 }, ModelSupport.TakeAlong(Var.Const(theta), 1, 1, z).Value.ToArray());
        GradCheck.Check(x => ModelSupport.TakeAlong(x[0], 1, 1, z), theta);
    }

    [Fact]
    public void TakeAlong_SharedValueSecondAxisAndVectorIndex_KeepsAxesAroundTheIndex()
    {
        // x [1 (broadcast plate), 2, 3, 2]; per element an index vector of 2 along axis 2 → [3, 2, 2, 2].
        var x = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 1, 2, 3, 2);
        var idx = Var.Const(Tensor.FromArray([0, 2, 1, 1, 2, 0], 3, 2));
        var y = ModelSupport.TakeAlong(Var.Const(x), 1, 2, idx);
        Assert.Equal([3, 2, 2, 2], y.Shape);
        // Element 0, row 1, index slot 1 picks x[0, 1, 2, :] = 10, 11.
        Assert.Equal(10f, y.Value[0, 1, 1, 0]);
        Assert.Equal(11f, y.Value[0, 1, 1, 1]);
        // Element 2, row 0, index slot 0 picks x[0, 0, 2, :] = 4, 5.
        Assert.Equal(4f, y.Value[2, 0, 0, 0]);
        GradCheck.Check(v => ModelSupport.TakeAlong(v[0], 1, 2, idx), x);
    }

    [Fact]
    public void TakeAlong_IndexVaryingOverTheOuterPlateOnly_IsSharedByTheInnerPlatesElements()
    {
        // x varies over plates i (2) and j (3) with a vector of 4 each; the index varies over i only ([2, 1]).
        var x = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        var idx = Var.Const(Tensor.FromArray([3, 1], 2, 1));
        var y = ModelSupport.TakeAlong(Var.Const(x), 2, 2, idx);
        Assert.Equal([2, 3], y.Shape);
        Assert.Equal(new float[] { 3, 7, 11, 13, 17, 21 }, y.Value.ToArray());
        GradCheck.Check(v => ModelSupport.TakeAlong(v[0], 2, 2, idx), x);
    }

    [Fact]
    public void TakeAlong_IndexOutOfRange_ThrowsNamingTheSize()
    {
        var e = Assert.Throws<IndexOutOfRangeException>(() =>
            ModelSupport.TakeAlong(Var.Const(Tensor.Zeros(2, 3)), 1, 1, Var.Const(Tensor.Vector(0, 3))));
        Assert.Contains("size 3", e.Message);
    }

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
