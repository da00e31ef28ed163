using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Flows;

/// <summary>
/// Flows applied in order, f = fₙ ∘ … ∘ f₁, itself a flow: log|det J| is the sum of the layers' at their inputs,
/// and a context is handed to every conditional layer (unconditional layers ignore it). Parameters are named
/// <c>i.NAME</c> by layer index.
/// </summary>
public sealed class FlowSequence : Flow
{
    readonly Flow[] flows;

    /// <summary>The sequence of <paramref name="flows"/> (all of one dimension; conditional ones of one context size).</summary>
    public FlowSequence(IEnumerable<Flow> flows) : this(flows.ToArray()) { }

    FlowSequence(Flow[] flows) : base(CommonDim(flows), CommonContext(flows)) => this.flows = flows;

    /// <summary>The layers, first applied first.</summary>
    public IReadOnlyList<Flow> Flows => flows;

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Var Parameter)> NamedParameters()
    {
        for (int i = 0; i < flows.Length; i++)
            foreach (var (name, p) in flows[i].NamedParameters()) yield return ($"{i}.{name}", p);
    }

    /// <inheritdoc/>
    public override (Var Y, Var LogDet) ForwardWithLogDet(Var x, Var? context)
    {
        Var? total = null;
        foreach (var f in flows)
        {
            var (y, ld) = f.ForwardWithLogDet(x, f.IsConditional ? context : null);
            total = total is null ? ld : total + ld;
            x = y;
        }
        return (x, total!);
    }

    /// <inheritdoc/>
    public override Var Forward(Var x, Var? context)
    {
        foreach (var f in flows) x = f.Forward(x, f.IsConditional ? context : null);
        return x;
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y, Var? context)
    {
        for (int i = flows.Length - 1; i >= 0; i--) y = flows[i].Inverse(y, flows[i].IsConditional ? context : null);
        return y;
    }

    static int CommonDim(Flow[] flows)
    {
        if (flows.Length == 0) throw new ArgumentException("a flow sequence needs at least one flow");
        int d = flows[0].Dim;
        if (flows.Any(f => f.Dim != d)) throw new ArgumentException("every flow in a sequence must act on the same dimension");
        return d;
    }

    static int CommonContext(Flow[] flows)
    {
        var sizes = flows.Where(f => f.IsConditional).Select(f => f.ContextDim).Distinct().ToArray();
        if (sizes.Length > 1) throw new ArgumentException("the conditional flows of a sequence must share one context size");
        return sizes.Length == 0 ? 0 : sizes[0];
    }
}
