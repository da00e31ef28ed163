using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Ppl.Cli.Commands;
using Ppl.Cli.Output;
using Ppl.Cli.Progress;
using Ppl.Inference.Posterior;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using CliFitResult = Ppl.Cli.Output.FitResult;

namespace Ppl.Cli;

/// <summary>
/// <c>ppl fit --paths K</c>, multi-path Pathfinder's scheme (Zhang, Carpenter, Gelman &amp; Vehtari 2022, "Pathfinder:
/// parallel quasi-Newton variational inference", JMLR 23(306), §2.4) applied to this engine's guides: K independent
/// fits, as many at once as there are cores (<see cref="FitPaths"/>), path p with seed S + 1000p: path 0 is the fit <c>--paths 1</c> makes, starting at the
/// prior median; paths 1 and up start a built-in guide's locations at random, the median moved by U(−2, 2) per
/// unconstrained coordinate (Stan's init radius; a guide block starts where it says, its paths differing only in their
/// streams); then <see cref="ResampledDraws"/>: D·max(1, ⌈4/K⌉) draws from each path's guide (D = <c>--draws</c>),
/// every pooled draw weighed by log p(x, z) − log q_mix(z) against the equal-weight mixture of the K guides
/// (<see cref="GuideMixture"/>), the weights Pareto-smoothed and D draws resampled from them with replacement. Those are the draws <c>summary.csv</c> and <c>draws.csv</c> report.
/// <c>params.json</c> holds the guide of the path of highest ELBO and <c>paths/p/</c> each path's parameters (with the
/// optimizer state), ELBO trace and a small <c>fit.json</c>, so <c>ppl sample</c> and <c>ppl eval</c> can use any one
/// path's guide and <c>--resume DIR/paths/p</c> continues that path alone; the multi-path fit itself is not resumable.
/// </summary>
public static class MultiPathFit
{
    /// <summary>Fits the K paths of <paramref name="plan"/> and resamples their mixture's draws; Ctrl-C ends the fit with the paths begun so far.</summary>
    public static CliFitResult Run(FitPlan plan, IFitReporter reporter, CancellationToken cancel)
    {
        var o = plan.Options;
        // Known from one run of the model and a fresh guide, before any path is fitted for nothing.
        var probe = plan.Model.Instantiate(plan.Data);
        if (ResampledDraws.Obstacle(probe, FitEngine.CreateGuide(plan, probe), new ParamStore(unchecked((ulong)o.Seed)), plan.Guide.Name) is { } why)
            throw new UserException($"--paths {o.Paths}: {why}; the paths' mixture is weighed by it");
        var fits = FitPaths(plan, reporter, cancel, out double seconds);
        PhaseTimes.Mark("paths' fits");
        int k = fits.Count, draws = o.Draws;
        var seeds = Enumerable.Range(0, k).Select(p => unchecked((ulong)o.PathSeed(p))).ToArray();
        var proposals = ResampledDraws.Draw(fits[0].Model, fits, seeds, draws, unchecked((ulong)o.Seed));
        var resampled = proposals.Resampling;   // ResampledDraws marks its own phases
        var paths = new PathReport[k];
        for (int p = 0; p < k; p++)
        {
            var own = proposals.OwnLogWeights.AsSpan(p * proposals.PerPath, proposals.PerPath);
            double pk = own.Length >= 5 ? ParetoSmoothing.ParetoK(own) : double.NaN;
            var f = fits[p];
            paths[p] = new PathReport(p, o.PathSeed(p), InitRadius(p), f.Svi.Step, f.Result.Reason == Inference.Fitting.StopReason.Converged,
                Mean(own), double.IsFinite(pk) ? pk : null, resampled.PathShares[p]);
        }
        int best = Enumerable.Range(0, k).MaxBy(p => paths[p].Elbo);
        var report = Report(plan, fits, paths, best, proposals, seconds);
        var states = fits.Select(f => new SavedFitState(f.Svi, "fit")).ToArray();
        var extra = new List<Action<OutputFolder>>();
        for (int p = 0; p < k; p++)
        {
            var (f, r, state) = (fits[p], paths[p], states[p]);
            string dir = PathFolder(p);
            extra.Add(folder =>
            {
                folder.Add($"{dir}/params.json", state.CopyParams);
                folder.Add($"{dir}/params.json.fitstate", state.CopyState);   // so one path can be resumed on its own
                folder.AddText($"{dir}/elbo.csv", w => ElboCsvWriter.Write(f.Trace, w));
                folder.AddJson($"{dir}/fit.json", j => WritePathJson(report, r, f, j));
            });
        }
        PhaseTimes.Mark("k̂, report, save params");
        return new CliFitResult(report, proposals.Table(), fits[best].Trace, states[best].CopyParams)
        {
            ExtraFiles = extra,
            Cleanup = () => { foreach (var s in states) s.Dispose(); },
            // A warning every path gives (the estimator choice, the same for all) is said once, naming the paths.
            Warnings = [.. fits.SelectMany((f, p) => f.Result.Warnings.Select(w => (Path: p, Text: w))).GroupBy(w => w.Text)
                .Select(g => $"{(g.Count() == k ? "every path" : "path " + string.Join(", ", g.Select(w => w.Path)))}: {g.Key}")],
        };
    }

    /// <summary>
    /// Fits the paths on up to <see cref="Gemm.MaxThreads"/> threads at once, each taking the next path not begun, so
    /// a fit of small models takes about K / cores times one fit instead of K times. A path's fit depends only on its
    /// seed and start, so the paths are the same whatever the threads' timing; while two or more run, each product
    /// inside a path runs on its path's thread (the cores are taken). Ctrl-C lets the paths begun end at their step and
    /// begins no more (path 0 is always fitted); the paths returned are 0, 1, … in order, all those begun.
    /// <paramref name="seconds"/> is the wall time of it all.
    /// </summary>
    static List<PathFit> FitPaths(FitPlan plan, IFitReporter reporter, CancellationToken cancel, out double seconds)
    {
        var o = plan.Options;
        var done = new PathFit?[o.Paths];
        var errors = new ExceptionDispatchInfo?[o.Paths];
        var gate = new object();
        int next = 0, stepsDone = 0;
        bool failed = false;
        void Work()
        {
            while (true)
            {
                int p;
                lock (gate)
                {
                    if (next == o.Paths || failed || (next > 0 && cancel.IsCancellationRequested)) return;
                    p = next++;
                }
                var single = plan with { Options = o with { Seed = o.PathSeed(p), Paths = 1, InitRadius = InitRadius(p) } };
                try
                {
                    // The reporter hears the steps of all paths as one count, one call at a time.
                    done[p] = FitEngine.FitPath(single, (_, e) => { lock (gate) reporter.Step(++stepsDone, e); }, cancel, markPhases: false);
                }
                catch (Exception e)
                {
                    errors[p] = ExceptionDispatchInfo.Capture(e);
                    lock (gate) failed = true;
                }
            }
        }
        int workers = Math.Min(Gemm.MaxThreads, o.Paths);
        int productThreads = Gemm.MaxThreads;
        var clock = Stopwatch.StartNew();
        if (workers > 1) Gemm.MaxThreads = 1;
        try
        {
            // Path threads get the main thread's stack size: a model's run recurses as deep as its program.
            var others = Enumerable.Range(1, workers - 1).Select(_ => new Thread(Work, 8 << 20) { IsBackground = true, Name = "ppl path" }).ToList();
            foreach (var t in others) t.Start();
            Work();
            foreach (var t in others) t.Join();
        }
        finally
        {
            Gemm.MaxThreads = productThreads;
        }
        seconds = clock.Elapsed.TotalSeconds;
        errors.FirstOrDefault(e => e is not null)?.Throw();
        return [.. done.TakeWhile(f => f is not null).Select(f => f!)];
    }

    /// <summary>Path 0 starts where a single fit does; the others at random (<see cref="FitOptions.PathInitRadius"/>).</summary>
    static double InitRadius(int path) => path == 0 ? 0 : FitOptions.PathInitRadius;

    /// <summary>The folder of path <paramref name="p"/>'s files, relative to the output folder.</summary>
    public static string PathFolder(int p) => $"paths/{p.ToString(CultureInfo.InvariantCulture)}";

    static FitReport Report(FitPlan plan, List<PathFit> fits, PathReport[] paths, int best, ResampledDraws proposals, double seconds)
    {
        var o = plan.Options;
        var top = FitEngine.Report(plan, fits[best], proposals);
        int converged = paths.Count(p => p.Converged);
        string verdict = fits.Any(f => f.Interrupted) || fits.Count < o.Paths
            ? $"interrupted with {fits.Count} of {o.Paths} paths begun; the mixture is of those (--resume does not continue a --paths fit: run it again)"
            : $"{converged} of {fits.Count} paths converged; path {best} has the highest ELBO: {fits[best].Result.Message}";
        return top with
        {
            Steps = paths.Sum(p => p.Steps),
            WallSeconds = seconds,
            Convergence = new Convergence(converged == paths.Length && fits.Count == o.Paths, fits[best].Svi.Step, verdict),
            Paths = new MultiPathReport(paths, best, proposals.Resampling.EffectivePaths),
        };
    }

    /// <summary><c>paths/p/fit.json</c>: enough for <c>ppl sample</c> and <c>ppl eval</c> to rebuild the path's guide, and its figures.</summary>
    static void WritePathJson(FitReport report, PathReport path, PathFit fit, Utf8JsonWriter j)
    {
        j.WriteString("version", FitReport.Version);
        j.WriteString("model", report.Model);
        j.WriteString("guide", report.Guide);
        j.WriteString("verdict", fit.Result.Message);
        FitJsonWriter.WritePath(path, j);
    }

    static double Mean(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (double v in x) s += v;
        return s / x.Length;
    }
}
