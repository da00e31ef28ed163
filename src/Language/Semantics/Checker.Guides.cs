using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

// A guide against its model: the same latent sites, each with the same kind, shape and plates.
public sealed partial class Checker
{
    void CompareGuide(CheckedModel guide, CheckedModel model)
    {
        var guideSites = guide.Latents.ToDictionary(s => s.Name);
        foreach (var site in model.Latents)
        {
            if (!guideSites.TryGetValue(site.Name, out var g))
            {
                Error(ErrorCode.GuideMissesSite, guide.Syntax.Name.Span,
                    $"guide '{guide.Name}' does not sample '{site.Name}', a latent site of model '{model.Name}' (line {Line(site.Span)})",
                    $"add a statement '{site.Name} ~ ...' to the guide");
                continue;
            }
            string? problem = null;
            if (g.ElementIndices != site.ElementIndices)
                problem = $"is indexed by {g.ElementIndices} loop index(es) in the guide but {site.ElementIndices} in the model";
            else if (g.Type.Kind != site.Type.Kind && !(g.Type.Kind != ScalarKind.Real && site.Type.Kind != ScalarKind.Real))
                problem = $"is {Kind(site.Type.Kind)} in the model but {Kind(g.Type.Kind)} in the guide";
            else if (!g.Type.Shape.Matches(site.Type.Shape))
                problem = $"has shape {site.Type.Shape} in the model but {g.Type.Shape} in the guide";
            else if (!g.Plates.Select(p => p.Name).SequenceEqual(site.Plates.Select(p => p.Name)))
                problem = $"is inside plates [{string.Join(", ", site.Plates.Select(p => p.Name))}] in the model but [{string.Join(", ", g.Plates.Select(p => p.Name))}] in the guide";
            else
                for (int k = 0; k < g.Plates.Count; k++)
                {
                    var (mp, gp) = (site.Plates[k], g.Plates[k]);
                    if (!mp.SizeDim.SameAs(gp.SizeDim) && !mp.SizeDim.IsUnknown && !gp.SizeDim.IsUnknown)
                        problem = $"is in plate '{mp.Name}' of size {mp.SizeDim} in the model but {gp.SizeDim} in the guide";
                    else if ((mp.Subsample is null) != (gp.Subsample is null) ||
                             mp.Subsample is not null && gp.Subsample is not null && !DimOf(mp.Subsample).SameAs(DimOf(gp.Subsample)))
                        problem = $"is in plate '{mp.Name}' subsampled differently in the model and the guide";
                }
            if (problem is not null)
                Error(ErrorCode.GuideSiteShape, g.Span, $"site '{site.Name}' {problem}", $"the model samples it at line {Line(site.Span)}");
        }
        var modelSites = model.Latents.Select(s => s.Name).ToHashSet();
        foreach (var g in guide.Latents)
            if (!modelSites.Contains(g.Name))
                Error(ErrorCode.GuideExtraSite, g.Span, $"guide '{guide.Name}' samples '{g.Name}', which model '{model.Name}' does not have",
                    DidYouMean(g.Name, modelSites) ?? "a guide samples exactly the model's latent sites; use 'let' for intermediate values");
    }
}
