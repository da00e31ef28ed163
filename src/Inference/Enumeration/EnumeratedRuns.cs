using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Enumeration;

/// <summary>
/// The model replayed at the guide's draws, once per value index when it has enumerated sites (see
/// <see cref="DiscreteFactorGraph"/>). Generated models lay plate axes out on the right and have fixed plate shapes,
/// so an extra leading enumeration axis cannot flow through their code (a gather by a [K, N] index into a [N]-shaped
/// plate breaks); running the model max K times with every enumerated site held at one value keeps the generated code
/// unchanged and costs max K forward passes (2 for Bernoulli, K for a K-way Categorical), not the product of the
/// supports: the tables are assembled from the runs and contracted on the tape.
/// </summary>
static class EnumeratedRuns
{
    /// <summary>The runs (run 0 first) and the factor graph, null when nothing is enumerated.</summary>
    public static (Trace[] Runs, DiscreteFactorGraph? Graph) Run(IModel model, Trace guide, ParamStore store, Tape? tape, Rng rng, DataShard? shard = null)
    {
        var first = RunOnce(model, guide, store, tape, rng, 0, shard, out var handler);
        if (handler.Enumerated.Count == 0)
        {
            tape?.NoteEscaped(handler.OtherEscapes);
            return ([first], null);
        }
        if (tape is null)
        {
            // Escapes (an enumerated value read as an int index) are noted only on a tape: find the structure on a scratch one.
            var scratch = new Tape();
            var probe = RunOnce(model, guide, store, scratch, rng, 0, shard, out var probeHandler);
            return Complete(model, guide, store, null, rng, shard, first, DiscreteFactorGraph.Structure(probe, probeHandler));
        }
        tape.NoteEscaped(handler.OtherEscapes);
        return Complete(model, guide, store, tape, rng, shard, first, DiscreteFactorGraph.Structure(first, handler));
    }

    static (Trace[], DiscreteFactorGraph) Complete(IModel model, Trace guide, ParamStore store, Tape? tape, Rng rng, DataShard? shard, Trace first, DiscreteFactorGraph graph)
    {
        var runs = new Trace[graph.Runs];
        runs[0] = first;
        for (int r = 1; r < runs.Length; r++)
        {
            var escaped = tape?.TakeEscaped();
            runs[r] = RunOnce(model, guide, store, tape, rng, r, shard, out var h);
            tape?.TakeEscaped();
            tape?.NoteEscaped(escaped);
            if (!SameEnumerated(h.Enumerated, graph))
                throw new Estimators.EstimatorException($"{graph.Nodes[0].Site.Location}: the enumerated sites of model '{model.Name}' change with their values (control flow on a discrete value); give the guide sample sites for them");
            CheckIndependent(first, runs[r], graph);
        }
        return (runs, graph);
    }

    /// <summary>
    /// A term found independent of every enumerated site must read the same in every run: a value read as a number
    /// long before the site that uses it escapes the dependence analysis, and this catches it rather than summing wrongly.
    /// </summary>
    static void CheckIndependent(Trace first, Trace run, DiscreteFactorGraph graph)
    {
        foreach (var s in first.Sites)
        {
            if (s.Kind is not (SiteKind.Sample or SiteKind.Factor) || graph.Contains(s.Name) || graph.Dependent.Contains(s.Name)) continue;
            if (run.Find(s.Name) is not { } t || !s.LogProb.Value.Span.SequenceEqual(t.LogProb.Value.Span))
                throw new Estimators.EstimatorException($"{s.Location}: site '{s.Name}' changes with the enumerated sites' values ({string.Join(", ", graph.Nodes.Select(n => n.Site.Name).Take(3))}…) through a value the analysis cannot follow; give the guide sample sites for them");
        }
    }

    static bool SameEnumerated(List<string> names, DiscreteFactorGraph graph)
    {
        if (names.Count != graph.Nodes.Count) return false;
        for (int i = 0; i < names.Count; i++) if (names[i] != graph.Nodes[i].Site.Name) return false;
        return true;
    }

    static Trace RunOnce(IModel model, Trace guide, ParamStore store, Tape? tape, Rng rng, int run, DataShard? shard, out EnumerationHandler handler)
    {
        var trace = new TraceHandler();
        handler = new EnumerationHandler(guide, run, tape);
        model.Run(new ModelContext(rng, tape, store) { Shard = shard }.With(trace).With(new ReplayHandler(guide)).With(handler));
        return trace.Trace;
    }
}
