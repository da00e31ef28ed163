using Ppl.Inference.Optimizers;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Params;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Optimizers;

public class OptimizerTests
{
    static float Grad(int i, int t) => (float)(Math.Sin(i + 3 * t) * 2);

    /// <summary>Runs 5 steps on a 3-element parameter with known gradients; returns the parameter.</summary>
    static float[] Run(Optimizer opt, float[] start)
    {
        var p = Var.Parameter(new Tensor((float[])start.Clone(), start.Length));
        for (int t = 1; t <= 5; t++)
        {
            for (int i = 0; i < start.Length; i++) p.Grad!.Span[i] = Grad(i, t);
            opt.Step([p]);
        }
        return p.Value.ToArray();
    }

    static (double M, double V) AdamMoments(double m, double v, double g) => (0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g);

    [Fact]
    public void Sgd_Momentum_MatchesHandComputedHeavyBall()
    {
        float[] start = [1f, -2f, 0.5f];
        var got = Run(new Sgd(lr: 0.1f, momentum: 0.9f), start);
        for (int i = 0; i < 3; i++)
        {
            double p = start[i], v = 0;
            for (int t = 1; t <= 5; t++) { v = 0.9 * v + Grad(i, t); p -= 0.1 * v; }
            Assert.Equal(p, got[i], 5);
        }
    }

    [Fact]
    public void AdamW_DecaysTheParameterBeforeTheAdamStep()
    {
        float[] start = [1f, -2f, 0.5f];
        var got = Run(new AdamW(lr: 0.05f, weightDecay: 0.1f), start);
        for (int i = 0; i < 3; i++)
        {
            double p = start[i], m = 0, v = 0;
            for (int t = 1; t <= 5; t++)
            {
                p *= 1 - 0.05 * 0.1;
                (m, v) = AdamMoments(m, v, Grad(i, t));
                p -= 0.05 * (m / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.999, t))) + 1e-8);
            }
            Assert.Equal(p, got[i], 5);
        }
    }

    [Fact]
    public void ClippedAdam_ClampsEachGradientAndDecaysTheRate()
    {
        float[] start = [1f, -2f, 0.5f];
        var got = Run(new ClippedAdam(lr: 0.05f, clip: 0.7f, lrDecay: 0.9f), start);
        for (int i = 0; i < 3; i++)
        {
            double p = start[i], m = 0, v = 0;
            for (int t = 1; t <= 5; t++)
            {
                (m, v) = AdamMoments(m, v, Math.Clamp(Grad(i, t), -0.7f, 0.7f));
                p -= 0.05 * Math.Pow(0.9, t - 1) * (m / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.999, t))) + 1e-8);
            }
            Assert.Equal(p, got[i], 5);
        }
    }

    [Fact]
    public void Schedules_GiveTheirFormulas()
    {
        Assert.Equal(0.1f, LearningRateSchedule.Constant.At(100, 0.1f));
        Assert.Equal(0.1 * Math.Pow(0.99, 10), new ExponentialSchedule(0.99).At(10, 0.1f), 6);
        Assert.Equal(0.1f * 0.25f, new StepSchedule(100, 0.5).At(250, 0.1f), 6);
        Assert.Equal(0.05f, new CosineSchedule(100).At(50, 0.1f), 6);
        Assert.Equal(0.01f, new CosineSchedule(100, 0.01f).At(100, 0.1f));
        var warm = new WarmupSchedule(10, LearningRateSchedule.Constant);
        Assert.Equal(0.01f, warm.At(0, 0.1f), 6);
        Assert.Equal(0.1f, warm.At(9, 0.1f), 6);
        Assert.Equal(0.1f, warm.At(50, 0.1f), 6);
    }

    [Fact]
    public void ClipGlobalNorm_ScalesAllGradientsToTheBound()
    {
        var a = Var.Parameter(new Tensor([3f], 1));
        var b = Var.Parameter(new Tensor([0f, 0f], 2));
        a.Grad!.Span[0] = 3f; b.Grad!.Span[0] = 4f;
        Assert.Equal(5.0, GradientClipping.ClipGlobalNorm([a, b], 1.0), 10);
        Assert.Equal(0.6f, a.Grad.Span[0], 6);
        Assert.Equal(0.8f, b.Grad.Span[0], 6);
        Assert.Equal(1.0, GradientClipping.ClipGlobalNorm([a, b], 2.0), 6);   // under the bound: unchanged
        Assert.Equal(0.6f, a.Grad.Span[0], 6);
    }

    [Fact]
    public void ExportImport_ResumedOptimizerContinuesBitForBit()
    {
        static ParamStore Store()
        {
            var s = new ParamStore();
            s.Get("w", () => new Tensor([1f, 2f, 3f], 3), Constraint.Real, null);
            return s;
        }
        static void Grads(ParamStore s, int t)
        {
            var g = s["w"].Unconstrained.Grad!.Span;
            for (int i = 0; i < 3; i++) g[i] = Grad(i, t);
        }
        var whole = Store();
        var opt = new Adam(0.1f);
        for (int t = 1; t <= 6; t++) { Grads(whole, t); opt.Step(whole); }

        var first = Store();
        var opt1 = new Adam(0.1f);
        for (int t = 1; t <= 3; t++) { Grads(first, t); opt1.Step(first); }
        var second = Store();
        second["w"].Unconstrained.Value.CopyFrom(first["w"].Unconstrained.Value);
        var opt2 = new Adam(0.1f);
        opt2.Import(opt1.Export());
        for (int t = 4; t <= 6; t++) { Grads(second, t); opt2.Step(second); }
        Assert.Equal(whole["w"].Unconstrained.Value.ToArray(), second["w"].Unconstrained.Value.ToArray());
    }

    [Fact]
    public void Step_LeavesTheGradients_TheLoopZeroesThem()
    {
        // One owner zeroes gradients (the fitting loop): an optimizer that cleared them too would hide a loop that forgot to.
        foreach (var opt in new Optimizer[] { new Adam(0.1f), new Sgd(0.1f, momentum: 0.9f) })
        {
            var p = Var.Parameter(Tensor.Vector(1f, -2f, 0.5f));
            for (int i = 0; i < 3; i++) p.Grad!.Span[i] = Grad(i, 1);
            var before = p.Grad!.ToArray();
            opt.Step([p]);
            Assert.Equal(before, p.Grad.ToArray());
        }
    }
}
