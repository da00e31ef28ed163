using System.Globalization;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;

namespace Ppl.Language.Emit;

// Sample sites: the distribution with its arguments in the plate layout, flows, and the site's shape.
public sealed partial class CSharpEmitter
{
    string PlateSizes(int count) => IntArray(openPlates.Take(count).Select(p => $"__plate_{p.Name}.Size"));

    /// <summary>A C# <c>int[]</c> of sizes.</summary>
    static string IntArray(IEnumerable<string> sizes) => $"new int[] {{ {string.Join(", ", sizes)} }}";

    /// <summary>A C# <c>int[]</c> of size expressions.</summary>
    string IntArray(IEnumerable<BoundExpr> sizes) => IntArray(sizes.Select(I));

    void Sample(BoundSample x)
    {
        int plates = x.Plates.Count;
        string name = SiteName(x);
        string at = Location(x.Span);
        string dist = $"__d{++temp}";
        bool hasFlows = x.Distribution.Flows.Count > 0, ordered = x.Declared?.Constraint == TypeConstraint.Ordered;
        string baseDist = hasFlows || ordered ? $"__b{temp}" : dist;
        w.Line($"var {baseDist} = {Distribution(x.Distribution, plates)};");
        string? shape = LatentShape(x, baseDist);
        if (ordered)
        {
            // The declared shape is consumed here: the site gets the order statistics of the base broadcast to it.
            Require("Ppl.Runtime.Distributions.OrderStatistics", null, x.Span, "ordered vectors");
            w.Line($"var {dist} = __Ppl.Ordered({baseDist}, {shape ?? $"{baseDist}.Shape"});");
            shape = null;
        }
        if (hasFlows)
        {
            string expanded = shape is null ? baseDist : $"__Ppl.ExpandTo({baseDist}, {shape})";
            w.Line($"var {dist} = {Flows(x.Distribution, expanded, x.Name)};");
        }
        if (x.IsObserved)
        {
            string value = Aligned(x.Value!, plates, x.Shape.Rank);
            w.Line($"__ctx.Observe({name}, {dist}, {value}, {PlateSizes(plates)}, {at});");
            return;
        }
        string use = nonCentred.ContainsKey(x) ? $", {UseField(x)}" : "";
        string call = shape is null ? $"__ctx.Sample({name}, {dist}, {at}{use})" : $"__ctx.Sample({name}, {dist}, {shape}, {at}{use})";
        if (x.NameIndices.Count > 0) w.Line($"{Id(x.Name)}[{name}] = {call};");
        else w.Line($"var {Id(x.Name)} = {call};");
    }

    static string UseField(BoundSample x) => $"__use_{x.Name}";

    /// <summary>
    /// The static <c>LocScaleUse</c> of a non-centred latent (<see cref="NonCentredSites"/>): the latents L and S
    /// read, and L and S computed from their values (a static lambda: the hint allocates nothing per run).
    /// </summary>
    void LocScaleUseField(NonCentredSite nc)
    {
        const string use = "global::Ppl.Runtime.Sites.LocScaleUse";
        Require(use["global::".Length..], null, nc.Site.Span, "a non-centred latent's hint to the guide");
        renamed = nc.Inputs.Select((s, k) => (s, k)).ToDictionary(p => (Symbol)p.s, p => $"__v[{p.k}]");
        string loc = nc.Loc is null ? "0f" : E(nc.Loc), scale = nc.Scale is null ? "1f" : E(nc.Scale);
        renamed = null;
        string inputs = string.Join(", ", nc.Inputs.Select(s => Str(s.Name)));
        string text = program.File.Text[nc.Affine.Span.Start..nc.Affine.Span.End];
        LineDirective(nc.Site.Span);
        w.Line($"static readonly {use} {UseField(nc.Site)} = new {use}(new string[] {{ {inputs} }}, static __v => ({loc}, {scale}), {Str(text)});");
        w.Directive("#line default");
    }

    /// <summary>The site's run-time name in C#: a string literal, or for a site in a loop a variable holding <c>z[3]</c>.</summary>
    string SiteName(BoundSample x)
    {
        if (x.NameIndices.Count == 0) return Str(x.Name);
        string name = $"__n{++temp}";
        w.Line($"var {name} = __Ppl.Name({Str(x.Name)}, {string.Join(", ", x.NameIndices.Select(I))});");
        return name;
    }

    /// <summary>
    /// A latent site's full shape (plate sizes, then per-element dimensions: declared, or the distribution's
    /// trailing ones) when it is not simply the distribution's shape; null when it is.
    /// </summary>
    string? LatentShape(BoundSample x, string dist)
    {
        if (x.IsObserved) return null;
        string? declared = x.Declared is null ? null : IntArray(x.Declared.DimExprs);
        int plates = x.Plates.Count;
        if (plates == 0) return declared;
        string perElement = declared ?? $"__Ppl.Trailing({dist}.Shape, {x.Shape.Rank})";
        return $"__Ppl.Concat({PlateSizes(plates)}, {perElement})";
    }

    /// <summary>
    /// <c>new Normal(loc, scale)</c> or a factory, arguments in signature order. Inside plates, arguments that vary
    /// over a plate get every enclosing plate axis and their batch dimensions padded to the distribution's batch rank.
    /// </summary>
    string Distribution(BoundDistribution d, int plateCount)
    {
        var info = d.Info;
        string cls = info.RuntimeClass;
        Require(cls["global::".Length..], d.Signature.Factory, d.Span, $"the {info.Name} distribution");
        var args = new List<string>();
        for (int k = 0; k < d.Args.Count; k++)
        {
            var a = d.Args[k];
            int eventRank = d.Signature.Params[k].EventRank;
            args.Add(a.Plates.Count == 0 ? E(a) : Aligned(a, plateCount, d.BatchShape.Rank + eventRank));
        }
        return d.Signature.Factory is { } f ? $"{cls}.{f}({string.Join(", ", args)})" : $"new {cls}({string.Join(", ", args)})";
    }

    /// <summary>
    /// <c>DIST then FLOW then ...</c>: each flow is a learnable module registered as <c>SITE.flowK</c>, built for the
    /// site's last dimension; a <c>context:</c> conditions it.
    /// </summary>
    string Flows(BoundDistribution d, string baseDist, string siteName)
    {
        Require("Ppl.Runtime.Distributions.TransformedDistribution", null, d.Span, "normalizing flows");
        var flows = new List<string>();
        for (int k = 0; k < d.Flows.Count; k++)
        {
            var fl = d.Flows[k];
            Require(fl.Info.RuntimeClass["global::".Length..], "Stack", fl.Span, $"the {fl.Info.Name} flow");
            bool hasContext = fl.Options.TryGetValue("context", out var context);
            string contextCode = hasContext ? E(context!) : "";
            var stackArgs = new List<string> { "__dim", I(fl.Layers) };
            // Iaf's default hidden width is Pyro's, 3·dim + 1 (Kingma et al. 2016 use a few times the dimension).
            if (fl.Info.Options.Contains("hidden")) stackArgs.Add(fl.Options.TryGetValue("hidden", out var h) ? I(h) : "3 * __dim + 1");
            stackArgs.Add("__rng");
            if (hasContext) stackArgs.Add($"({contextCode}).Shape[^1]");
            string net = $"__ctx.Net({Str($"{siteName}.flow{k}")}, __rng => {fl.Info.RuntimeClass}.Stack({string.Join(", ", stackArgs)}), {Location(fl.Span)})";
            flows.Add(hasContext ? $"{net}.Condition({contextCode})" : net);
        }
        return $"__Ppl.Flow({baseDist}, __dim => new global::Ppl.Runtime.Transforms.Transform[] {{ {string.Join(", ", flows)} }})";
    }
}
