using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

// Distributions after ~ (arguments bound to a signature, batch and event shapes) and the flows after then.
public sealed partial class Checker
{
    BoundDistribution? Distribution(CallExpr call, IReadOnlyList<CallExpr> flowCalls)
    {
        string name = call.Callee.Name;
        if (!Builtins.Distributions.TryGetValue(name, out var info))
        {
            string? help = Builtins.Functions.ContainsKey(name) ? $"'{name}' is a function; after '~' comes a distribution"
                : Builtins.Flows.ContainsKey(name) ? $"'{name}' is a flow; write it after the distribution: '~ Normal(0, 1) then {name}(2)'"
                : DidYouMean(name, Builtins.Distributions.Keys);
            Error(ErrorCode.UnknownDistribution, call.Callee.Span, $"unknown distribution '{name}'", help);
            foreach (var a in call.Args) Expr(a.Value);
            return null;
        }
        var bound = call.Args.Select(a => Expr(a.Value)).ToList();
        var args = BindArguments(call, info, bound);
        if (args is null || bound.Any(b => b is BoundError)) return null;
        var (sig, ordered) = args.Value;

        bool ok = true;
        var batch = Shape.Scalar;
        for (int k = 0; k < sig.Params.Count; k++)
        {
            var p = sig.Params[k];
            var (arg, at) = ordered[k];
            if (p.Domain == Domain.NonNegativeInt && arg.Type.Kind != ScalarKind.Int)
            { Error(ErrorCode.TypeMismatch, at, $"{p.Name} of {name} must be an int, got {arg.Type}"); ok = false; continue; }
            if (arg.Type.Kind == ScalarKind.Bool)
            { Error(ErrorCode.TypeMismatch, at, $"{p.Name} of {name} must be a number, got {arg.Type}"); ok = false; continue; }
            if (arg.ConstantValue is double c)
            {
                string? wrong = p.Domain switch
                {
                    Domain.Positive when c <= 0 => "positive",
                    Domain.UnitInterval when c < 0 || c > 1 => "in [0, 1]",
                    Domain.NonNegativeInt when c < 0 => "at least 0",
                    _ => null,
                };
                if (wrong is not null)
                { Error(ErrorCode.InvalidValue, at, $"{p.Name} of {name} must be {wrong}, got {SyntaxPrinter.Real(c).Replace(".0", "")}"); ok = false; continue; }
            }
            if (arg.Type.Shape.Rank < p.EventRank)
            {
                Error(ErrorCode.ShapeMismatch, at, $"{p.Name} of {name} must be a {(p.EventRank == 1 ? "vector" : "matrix")}, got {arg.Type}");
                ok = false;
                continue;
            }
            if (p.EventRank == 2 && arg.Type.Shape.Dims[^1].ProvablyDiffers(arg.Type.Shape.Dims[^2]))
            { Error(ErrorCode.ShapeMismatch, at, $"{p.Name} of {name} must be a square matrix, got {arg.Type}"); ok = false; continue; }
            var next = Shape.Broadcast(batch, arg.Type.Shape.DropLast(p.EventRank));
            if (next is null)
            {
                Error(ErrorCode.ShapeMismatch, at, $"the arguments of {name} do not broadcast: {p.Name} has batch shape {arg.Type.Shape.DropLast(p.EventRank)}, the ones before it {batch}");
                ok = false;
                continue;
            }
            batch = next;
        }
        if (!ok) return null;
        var eventShape = Shape.Scalar;
        if (info.EventRank > 0)
        {
            int k = sig.Params.ToList().FindIndex(p => p.EventRank >= 1);
            eventShape = ordered[k].Arg.Type.Shape.Last(info.EventRank);
            for (int j = 0; j < sig.Params.Count; j++)
                if (j != k && sig.Params[j].EventRank >= 1 && ordered[j].Arg.Type.Shape.Dims[^1].ProvablyDiffers(eventShape.Dims[^1]))
                {
                    Error(ErrorCode.ShapeMismatch, ordered[j].Span, $"{sig.Params[j].Name} of {name} has size {ordered[j].Arg.Type.Shape.Dims[^1]} but {sig.Params[k].Name} has {eventShape.Dims[^1]}");
                    return null;
                }
        }
        var argPlates = scope.MergePlates(ordered.Select(o => o.Arg).ToArray());
        var flows = new List<BoundFlow>();
        foreach (var f in flowCalls)
        {
            var flow = Flow(f, info);
            if (flow is null) ok = false;
            else flows.Add(flow);
        }
        if (!ok) return null;
        return new BoundDistribution(call.Span, info, sig, ordered.Select(o => o.Arg).ToList(), flows, batch, eventShape, argPlates);
    }

    /// <summary>Binds arguments to the first signature they fit; otherwise reports the most useful reason none fits.</summary>
    (Signature Sig, List<(BoundExpr Arg, SourceSpan Span)> Ordered)? BindArguments(CallExpr call, DistributionInfo info, List<BoundExpr> bound)
    {
        string name = info.Name;
        int positional = 0;
        bool seenNamed = false;
        var named = new Dictionary<string, int>();
        for (int k = 0; k < call.Args.Count; k++)
        {
            var a = call.Args[k];
            if (a.Name is null)
            {
                if (seenNamed) { Error(ErrorCode.DuplicateArgument, a.Span, "a positional argument cannot follow a named one"); return null; }
                positional++;
            }
            else
            {
                seenNamed = true;
                if (!named.TryAdd(a.Name.Name, k)) { Error(ErrorCode.DuplicateArgument, a.Name.Span, $"argument '{a.Name}' is given twice"); return null; }
            }
        }
        foreach (var sig in info.Signatures)
        {
            if (positional > sig.Params.Count) continue;
            if (named.Keys.Any(n => sig.Params.Select(p => p.Name).ToList().IndexOf(n) is var i && (i < 0 || i < positional))) continue;
            if (sig.Params.Skip(positional).Any(p => !named.ContainsKey(p.Name))) continue;
            var ordered = new List<(BoundExpr, SourceSpan)>();
            for (int k = 0; k < sig.Params.Count; k++)
            {
                int idx = k < positional ? k : named[sig.Params[k].Name];
                ordered.Add((bound[idx], call.Args[idx].Span));
            }
            return (sig, ordered);
        }
        string forms = string.Join(" or ", info.Signatures.Select(s => $"{name}({s})"));
        var allNames = info.Signatures.SelectMany(s => s.Params.Select(p => p.Name)).Distinct().ToList();
        foreach (var (n, k) in named)
            if (!allNames.Contains(n))
            {
                Error(ErrorCode.UnknownArgument, call.Args[k].Name!.Span, $"{name} has no argument '{n}'", DidYouMean(n, allNames) ?? $"use {forms}");
                return null;
            }
        int max = info.Signatures.Max(s => s.Params.Count);
        if (positional > max)
        {
            Error(ErrorCode.ArgumentCount, call.Span, $"{name} takes {max} argument(s), got {call.Args.Count}", $"use {forms}");
            return null;
        }
        foreach (var (n, k) in named)
            foreach (var sig in info.Signatures)
                if (sig.Params.Select(p => p.Name).ToList().IndexOf(n) is var i && i >= 0 && i < positional)
                {
                    Error(ErrorCode.DuplicateArgument, call.Args[k].Name!.Span, $"argument '{n}' of {name} is already given by position");
                    return null;
                }
        // Missing arguments: report against the signature the named arguments point to.
        var best = info.Signatures.FirstOrDefault(s => named.Keys.All(n => s.Params.Any(p => p.Name == n))) ?? info.Signatures[0];
        var missing = best.Params.Skip(positional).Where(p => !named.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        if (missing.Count == 0)
        {
            Error(ErrorCode.DuplicateArgument, call.Span, $"these arguments mix two forms of {name}", $"use {forms}");
            return null;
        }
        Error(ErrorCode.MissingArgument, call.Span, $"{name} needs {string.Join(" and ", missing.Select(m => $"'{m}'"))}", $"use {forms}");
        return null;
    }

    BoundFlow? Flow(CallExpr f, DistributionInfo baseInfo)
    {
        string name = f.Callee.Name;
        if (!Builtins.Flows.TryGetValue(name, out var info))
        {
            Error(ErrorCode.UnknownFlow, f.Callee.Span, $"unknown flow '{name}'",
                Builtins.Distributions.ContainsKey(name) ? "'then' is followed by a flow (Planar, Radial, Iaf), not a distribution" : DidYouMean(name, Builtins.Flows.Keys));
            return null;
        }
        if (baseInfo.ValueKind != ScalarKind.Real)
        {
            Error(ErrorCode.SupportMismatch, f.Span, $"a flow transforms real values, but {baseInfo.Name} is discrete");
            return null;
        }
        BoundExpr? layers = null;
        var options = new Dictionary<string, BoundExpr>();
        bool ok = true;
        foreach (var a in f.Args)
        {
            var b = Expr(a.Value);
            if (b is BoundError) { ok = false; continue; }
            if (a.Name is null)
            {
                if (layers is not null) { Error(ErrorCode.ArgumentCount, a.Span, $"{name} takes one positional argument (the number of layers)"); ok = false; continue; }
                if (!b.IsSize) { Error(ErrorCode.SizeNotData, a.Span, "the number of layers must be an int computed from data alone"); ok = false; continue; }
                layers = b;
            }
            else if (!info.Options.Contains(a.Name.Name))
            {
                Error(ErrorCode.UnknownArgument, a.Name.Span, $"{name} has no option '{a.Name}'",
                    info.Options.Count == 0 ? $"{name} takes only the number of layers" : DidYouMean(a.Name.Name, info.Options) ?? $"options: {string.Join(", ", info.Options)}");
                ok = false;
            }
            else if (a.Name.Name == "hidden" && !b.IsSize) { Error(ErrorCode.SizeNotData, a.Span, "hidden must be an int computed from data alone"); ok = false; }
            else if (a.Name.Name == "context" && b.Type.Kind == ScalarKind.Bool) { Error(ErrorCode.TypeMismatch, a.Span, "a flow's context must be a number"); ok = false; }
            else if (!options.TryAdd(a.Name.Name, b)) { Error(ErrorCode.DuplicateArgument, a.Name.Span, $"option '{a.Name}' is given twice"); ok = false; }
        }
        if (ok && layers is null) { Error(ErrorCode.MissingArgument, f.Span, $"{name} needs the number of layers, e.g. {name}(2)"); ok = false; }
        return ok ? new BoundFlow(f.Span, info, layers!, options) : null;
    }
}
