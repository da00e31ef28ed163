using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsBernoulliLogMassTests
{
    [Fact]
    public void Backward_ManyLogits_GradientIsXMinusSigmoidTimesUpstream()
    {
        // 37 elements: the vector body and the scalar tail; logits up to ±60, where a naive exp(−l) overflows float.
        int n = 37;
        var l = Enumerable.Range(0, n).Select(i => (i - 18) * 3.3f).ToArray();
        var x = Enumerable.Range(0, n).Select(i => (i % 5) / 4f).ToArray();
        var up = Enumerable.Range(0, n).Select(i => 0.5f + i % 3).ToArray();
        var tape = new Tape();
        var logits = tape.Attach(Var.Parameter(new Tensor(l, [n])));
        var f = Ops.BernoulliLogMass(Var.Const(new Tensor(x, [n])), logits);
        tape.Backward(Ops.Sum(Ops.Mul(f, Var.Const(new Tensor(up, [n])))));
        var grad = logits.Grad!.ToArray();
        for (int i = 0; i < n; i++)
        {
            double expected = (x[i] - 1 / (1 + Math.Exp(-l[i]))) * up[i];
            Assert.True(Math.Abs(grad[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"l = {l[i]}: {grad[i]} vs {expected}");
        }
    }

    [Fact]
    public void Backward_SmallShapes_MatchesFiniteDifferences() =>
        GradCheck.Check(v => Ops.Sum(Ops.BernoulliLogMass(v[0], v[1])),
            Tensor.Vector(0f, 0.25f, 1f, 0.5f, 0.75f, 0f, 1f, 0.1f, 0.9f), Tensor.Vector(-2f, -0.5f, 0.3f, 1.5f, -1f, 2f, -0.2f, 0.7f, 0f));
}
