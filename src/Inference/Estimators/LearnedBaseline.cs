using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Params;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Estimators;

/// <summary>
/// A learned control variate for a score-function site (Mnih and Gregor 2014, "Neural variational inference and
/// learning in belief networks"): b_i = net(stop_grad(θ_i)), a small MLP (F → 16 → 1, tanh) per site on the guide's own
/// input to element i's draw — its detached logits θ_i, which an amortized guide computed from that element's data —
/// so the baseline tracks each element's typical cost. The net is trained on −½·mean_i (b_i − stop_grad(cost_i))², a
/// term added to the surrogate (never to the reported ELBO); b_i does not depend on the draw, so
/// E[∇log q(z_i)·(cost_i − b_i)] is unchanged (unbiased). Its parameters live in the store as
/// <c>baseline.SITE.*</c>, so the fit's optimizer trains them with the guide.
/// </summary>
public static class LearnedBaseline
{
    /// <summary>Hidden width of the net.</summary>
    public const int Hidden = 16;

    /// <summary>The baseline per element of <paramref name="cost"/> and the net's training term; null when the site's
    /// distribution has no logits to read (the caller falls back to the moving average).</summary>
    public static (Tensor Baseline, Var Loss)? Evaluate(Site site, Tensor cost, ParamStore store, Tape? tape)
    {
        var logits = site.Distribution switch { Bernoulli bern => bern.Logits.Value, Categorical cat => cat.Logits.Value, _ => null };
        int n = cost.Size;
        if (logits is null || n == 0 || logits.Size % n != 0) return null;
        int f = logits.Size / n;
        var net = store.GetModule($"baseline.{site.Name}", rng => new Mlp([f, Hidden, 1], Activation.Tanh, rng), tape);
        var input = Tensor.FromArray(logits.ToArray(), n, f);
        var b = net.Forward(tape is null ? Var.Const(input) : tape.Const(input));
        var target = Tensor.FromArray(cost.ToArray(), n, 1);
        var diff = Ops.Sub(b, tape is null ? Var.Const(target) : tape.Const(target));
        var loss = Ops.Mul(Ops.Sum(Ops.Mul(diff, diff)), -0.5f / n);
        return (Tensor.FromArray(b.Value.ToArray(), cost.Shape), loss);
    }
}
