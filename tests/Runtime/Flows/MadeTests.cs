using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Flows;

public class MadeTests
{
    /// <summary>Perturbs each input in turn and records which outputs move: output block entry i may move only for inputs of lower degree.</summary>
    static void AssertAutoregressive(Made made, Var? context)
    {
        int d = made.Dim;
        var x = Tensor.Zeros(1, d);
        var rng = new System.Random(1);
        for (int i = 0; i < d; i++) x[0, i] = (float)rng.NextDouble();
        var y0 = made.Forward(Var.Const(x), context).Value.ToArray();
        for (int j = 0; j < d; j++)
        {
            var xp = x.Clone();
            xp[0, j] += 0.5f;
            var y1 = made.Forward(Var.Const(xp), context).Value.ToArray();
            for (int o = 0; o < y0.Length; o++)
            {
                int i = o % d;
                bool allowed = made.InputDegrees[j] < made.InputDegrees[i];
                if (!allowed) Assert.True(y0[o] == y1[o], $"output {o} (input {i}) moved when input {j} changed");
            }
        }
    }

    [Theory]
    [InlineData(false)] [InlineData(true)]
    public void Forward_OutputsDependOnlyOnEarlierInputs(bool reverse) =>
        AssertAutoregressive(new Made(5, [12, 9], 2, new Rng(2), reverse), null);

    [Fact]
    public void Forward_WithContext_StaysAutoregressive() =>
        AssertAutoregressive(new Made(4, [10], 2, new Rng(3), contextDim: 3), Var.Const(Tensor.Vector(0.3f, -1f, 2f)));

    [Fact]
    public void Forward_FirstInputOutputsAreConstant_ButLaterOnesAreNot()
    {
        var made = new Made(3, [8], 1, new Rng(4));
        var a = made.Forward(Var.Const(Tensor.Vector(0.1f, 0.2f, 0.3f))).Value;
        var b = made.Forward(Var.Const(Tensor.Vector(-2f, 1.5f, 0.3f))).Value;
        Assert.Equal(a[0], b[0]);
        Assert.NotEqual(a[2], b[2]); // the last output really uses the earlier inputs
    }

    [Fact]
    public void InputDegrees_ReverseOrdering()
    {
        Assert.Equal([1, 2, 3], new Made(3, [4], 2, new Rng(5)).InputDegrees);
        Assert.Equal([3, 2, 1], new Made(3, [4], 2, new Rng(5), reverse: true).InputDegrees);
    }
}
