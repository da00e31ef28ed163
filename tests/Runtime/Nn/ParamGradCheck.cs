using Ppl.Runtime.Params;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Nn;

/// <summary>
/// Checks the gradients that reach an object's own parameters (and optionally some inputs) against central
/// differences, like <see cref="Autodiff.GradCheck"/> (same weighting, step and tolerance argument) but for weights
/// held inside a net or flow. Each evaluation attaches the parameters to a fresh tape.
/// </summary>
public static class ParamGradCheck
{
    public static void Check(IParameterized owner, Func<Var[], Var> f, double tol = 3e-3, params Tensor[] inputs)
    {
        var ps = owner.NamedParameters().ToArray();
        var rng = new System.Random(99);
        var tape = new Tape();
        foreach (var (_, p) in ps) { tape.Attach(p); p.Grad!.Span.Clear(); }
        var xs = inputs.Select(t => tape.Attach(Var.Parameter(t.Clone()))).ToArray();
        var y = f(xs);
        var w = Autodiff.GradCheck.RandomTensor(rng, y.Shape, 0.5, 1.5);
        tape.Backward(Ops.Sum(y * Var.Const(w)));
        var targets = ps.Select(p => (p.Name, p.Parameter)).Concat(xs.Select((x, i) => ($"input{i}", x))).ToArray();
        var grads = targets.Select(t => t.Item2.Grad!.Clone()).ToArray();
        tape.Reset();

        double Eval()
        {
            var t2 = new Tape();
            foreach (var (_, p) in ps) t2.Attach(p);
            var yy = f(xs.Select(x => t2.Const(x.Value)).ToArray());
            double s = 0;
            var ys = yy.Value.Span; var ws = w.Span;
            for (int i = 0; i < ys.Length; i++) s += (double)ys[i] * ws[i];
            return s;
        }

        for (int k = 0; k < targets.Length; k++)
        {
            var v = targets[k].Item2.Value.Span;
            for (int i = 0; i < v.Length; i++)
            {
                float x0 = v[i];
                float h = 1e-3f * Math.Max(1f, Math.Abs(x0));
                v[i] = x0 + h; double fp = Eval();
                v[i] = x0 - h; double fm = Eval();
                v[i] = x0;
                double fd = (fp - fm) / (2.0 * h), g = grads[k].Span[i];
                Assert.True(Math.Abs(fd - g) <= tol * (1 + Math.Abs(fd)), $"{targets[k].Item1}[{i}]: autodiff {g}, finite difference {fd}");
            }
        }
    }
}
