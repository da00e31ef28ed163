using System.Diagnostics;
using System.Globalization;
using Ppl.Cli.Output;
using Ppl.Cli.Progress;
using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Inference.Fitting;
using Ppl.Inference.Guides;
using Ppl.Inference.Posterior;
using Ppl.Runtime.Models;
using Ppl.Runtime.Random;
using CliFitResult = Ppl.Cli.Output.FitResult;
using FitReport = Ppl.Cli.Output.FitReport;
using CliSiteEstimator = Ppl.Cli.Output.SiteEstimator;

namespace Ppl.Cli;

/// <summary>
/// The inference engine behind <c>ppl fit</c> (<see cref="FitSession.Engine"/>): builds the guide, runs
/// <see cref="Svi"/> step by step (so Ctrl-C stops at the end of a step; stepping in pieces gives the numbers of one
/// uninterrupted call), then draws from the fitted guide with each draw's log p and log q for <c>draws.csv</c> and k̂.
/// </summary>
public static class FitEngine
{
    /// <summary>Fits <paramref name="plan"/>; a non-finite fit or an estimator the model cannot take is a <see cref="UserException"/>.</summary>
    public static CliFitResult Run(FitPlan plan, IFitReporter reporter, CancellationToken cancel)
    {
        if (plan.Options.Paths > 1) return MultiPathFit.Run(plan, reporter, cancel);
        var o = plan.Options;
        var path = FitPath(plan, reporter.Step, cancel);
        ulong seed = unchecked((ulong)o.Seed);
        string? plain = o.Resample ? ResampledDraws.Obstacle(path.Model, path.Guide, path.Svi.Store, plan.Guide.Name) : "--resample off";
        PosteriorTable posterior;
        FitReport report;
        if (plain is null)
        {
            var proposals = ResampledDraws.Draw(path.Model, [path], [seed], o.Draws, seed);   // marks its own phases
            plain = proposals.TooFewEffectiveDraws();
            posterior = plain is null ? proposals.Table() : proposals.Own(o.Draws);
            report = Report(plan, path, proposals);
            if (plain is not null) report = report with { Resampling = null, NotResampled = plain };
        }
        else
        {
            posterior = Draw(path.Model, path.Guide, path.Svi, o.Draws, seed);
            PhaseTimes.Mark("draws");
            double k = posterior.Draws.Length >= 5
                ? ParetoSmoothing.ParetoK(posterior.LogDensity.Zip(posterior.LogGuideDensity, (p, q) => p - q).ToArray())
                : double.NaN;
            report = Report(plan, path, double.IsFinite(k) ? k : null) with { NotResampled = plain };
        }

        PhaseTimes.Mark("k̂, report");
        var state = new SavedFitState(path.Svi, "fit");
        PhaseTimes.Mark("save params");
        return new CliFitResult(report, posterior, path.Trace, state.CopyParams)
        {
            WriteState = state.CopyState,
            Cleanup = state.Dispose,
            Warnings = path.Result.Warnings,
        };
    }

    /// <summary>
    /// One fit of the plan to the end (convergence, the step budget or Ctrl-C), with its guide and ELBO trace;
    /// <paramref name="step"/> hears every step. <paramref name="markPhases"/> false leaves <see cref="PhaseTimes"/>
    /// alone (the paths of a multi-path fit run at once, and their phases would interleave).
    /// </summary>
    public static PathFit FitPath(FitPlan plan, Action<int, double> step, CancellationToken cancel, bool markPhases = true)
    {
        var o = plan.Options;
        var model = plan.Model.Instantiate(plan.Data);
        var guide = CreateGuide(plan, model);
        var steps = new List<int>();
        var elbos = new List<double>();
        var options = new SviOptions
        {
            Steps = o.Steps,
            LearningRate = (float)o.LearningRate,
            Particles = o.Particles,
            Seed = unchecked((ulong)o.Seed),
            Estimator = Estimator(o.Estimator),
            Tol = o.Tolerance,
            AverageSteps = o.AverageSteps,
            DataParallel = plan.DataParallel,
            ProgressEvery = 1,
            Progress = p =>
            {
                // Svi also reports when a piece ends; that step is already recorded.
                if (steps.Count > 0 && steps[^1] >= p.Step) return;
                steps.Add(p.Step);
                elbos.Add(p.Elbo);
                step(p.Step, p.Elbo);
            },
        };
        Svi svi;
        if (o.Resume is { } resume)
        {
            ReadTrace(Path.Combine(resume, "elbo.csv"), steps, elbos);
            try { svi = FitCheckpoint.Resume(model, guide, Path.Combine(resume, "params.json"), options); }
            catch (InvalidDataException e) { throw new UserException($"--resume {resume}: {e.Message}"); }
            int from = svi.Step;
            int keep = steps.FindIndex(s => s > from);
            if (keep >= 0) { steps.RemoveRange(keep, steps.Count - keep); elbos.RemoveRange(keep, elbos.Count - keep); }
        }
        else svi = new Svi(model, guide, options);

        if (markPhases) PhaseTimes.Mark("model, guide, Svi setup");
        var clock = Stopwatch.StartNew();
        Ppl.Inference.Fitting.FitResult result;
        try
        {
            do
            {
                result = svi.Fit(svi.Step + 1);
                if (steps.Count <= 1) CheckForcedEstimator(o.Estimator, result.Estimators, plan.Model.ModelName);
                plan.Checkpoints?.AfterStep(svi, steps, elbos);
                RankKillSwitch.AfterStep(plan.DataParallel?.Communicator.Rank ?? 0, svi.Step);
            }
            while (result.Reason == StopReason.Budget && svi.Step < o.Steps && !cancel.IsCancellationRequested);
        }
        catch (EstimatorException e) { throw new UserException(e.Message); }
        clock.Stop();
        if (result.Reason == StopReason.NonFinite) throw new UserException($"the fit failed: {result.Message}");
        bool interrupted = cancel.IsCancellationRequested && result.Reason == StopReason.Budget && svi.Step < o.Steps;
        if (markPhases) PhaseTimes.Mark("fit loop");
        return new PathFit(model, guide, svi, result, new ElboTrace([.. steps], [.. elbos]), clock.Elapsed.TotalSeconds, interrupted);
    }

    /// <summary>The report of a fit whose draws <paramref name="proposals"/> resampled: its k̂ is theirs.</summary>
    public static FitReport Report(FitPlan plan, PathFit path, ResampledDraws proposals) =>
        Report(plan, path, double.IsFinite(proposals.GuideResampling.ParetoK) ? proposals.GuideResampling.ParetoK : null) with { Resampling = proposals.Report() };

    /// <summary>The report of a single-path fit: its settings, estimators, convergence verdict and k̂.</summary>
    public static FitReport Report(FitPlan plan, PathFit path, double? paretoK)
    {
        var o = plan.Options;
        string verdict = path.Interrupted ? $"interrupted at step {path.Svi.Step}; continue with --resume {o.Out}" : path.Result.Message;
        var estimators = path.Result.Estimators.Select(e => new CliSiteEstimator(e.Site, Name(e.Kind),
            e.Kind == EstimatorKind.ScoreFunction ? $"{e.Reason}; baseline {e.Baseline}" : e.Reason)).ToArray();
        return new FitReport(plan.Model.ModelName, plan.Guide.Name, o.Seed, path.Svi.Step, o.Steps, o.LearningRate, o.Particles,
            o.Tolerance, estimators, new Convergence(path.Result.Reason == StopReason.Converged, path.Svi.Step, verdict),
            paretoK, path.Seconds)
        {
            AverageSteps = path.Svi.Average.Count,
            GuideReason = o.Guide is not null ? "--guide" : plan.Guide.IsBuiltIn ? "the default: the file has no guide block" : "the file's guide block",
            Recentred = Recentred(path.Guide, path.Svi.Store),
        };
    }

    /// <summary>The guide of the plan: a built-in family over <paramref name="model"/>'s latents, or a guide block.</summary>
    public static IModel CreateGuide(FitPlan plan, IModel model) =>
        CreateGuide(plan.Model, plan.Guide, plan.Data, model, unchecked((ulong)plan.Options.Seed), Enumerates(plan.Options.Estimator),
            plan.Options.Recentre, plan.Options.Resume is { } dir ? SavedNames(Path.Combine(dir, "params.json")) : null, plan.Options.InitRadius);

    /// <summary>
    /// The guide <paramref name="choice"/> for <paramref name="model"/>. A built-in guide leaves finite discrete sites to
    /// exact enumeration unless <paramref name="enumerate"/> is false (<c>--estimator score|disarm</c> keeps them sampled),
    /// and centres the latents written non-centred unless <paramref name="recentre"/> is false (<c>--recentre off</c>).
    /// With parameters <paramref name="saved"/> (sample, eval, resume), the saved fit decides, whatever
    /// <paramref name="recentre"/> says: a fit without the centring (<c>--recentre off</c>, or a version before it)
    /// holds the uncentred coordinates and gets the guide without it; a centred one gets the centring back.
    /// <paramref name="initRadius"/> scatters a built-in guide's initial locations (<see cref="AutoGuide.Create(GuideKind, IModel, ulong, bool, bool, double)"/>);
    /// a guide block starts where it says.
    /// </summary>
    public static IModel CreateGuide(LoadedModel loaded, GuideChoice choice, Ppl.Runtime.Data.DataSet data, IModel model, ulong seed,
        bool enumerate = true, bool recentre = true, IEnumerable<string>? saved = null, double initRadius = 0)
    {
        if (!choice.IsBuiltIn) return loaded.Assembly.Create(choice.Name, data);
        var kind = GuideKinds.Parse(choice.Name);
        var names = saved?.ToArray();
        var guide = AutoGuide.Create(kind, model, seed, enumerate, recentre || names is not null, initRadius);
        return names is not null && guide.SavedWithoutRecentring(names) ? AutoGuide.Create(kind, model, seed, enumerate, recentre: false, initRadius) : guide;
    }

    /// <summary>The parameter names in a saved <c>params.json</c> (none when it cannot be read: the resume reports that).</summary>
    static IEnumerable<string>? SavedNames(string path)
    {
        try { return Ppl.Runtime.Params.ParamStoreFile.Read(path).Select(p => p.Name).ToArray(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException) { return null; }
    }

    /// <summary>What the guide's partial centring learned, per recentred site: the mean centredness λ (0: as declared, 1: centred).</summary>
    static IReadOnlyList<RecentredSiteReport> Recentred(IModel guide, Ppl.Runtime.Params.ParamStore store)
    {
        if (guide is not AutoGuide auto) return [];
        return auto.RecentredSites.Select(s =>
        {
            string name = Recentring.ParamName(auto.Prefix, s.Name);
            double lambda = double.NaN;
            if (store.Contains(name))
            {
                var e = store[name];
                var v = e.Transform.Forward(Ppl.Runtime.Autodiff.Var.Const(e.Unconstrained.Value)).Value;
                lambda = v.ToArray().Average();
            }
            return new RecentredSiteReport(s.Name, s.Recentred!.Use.Text, lambda);
        }).ToArray();
    }

    /// <summary>Whether discrete sites an automatic guide could leave out are enumerated under <c>--estimator</c>.</summary>
    static bool Enumerates(string estimator) => estimator is not ("score" or "disarm");

    /// <summary><paramref name="draws"/> draws of the latent and deterministic sites with log p(x, z) and log q(z) of each.</summary>
    public static PosteriorTable Draw(IModel model, IModel guide, Svi svi, int draws, ulong seed)
    {
        var rows = new DrawRows(model.Name, draws);
        PosteriorSampler.Draws(model, guide, svi.Store, draws, new Rng(seed), (d, m, logProposal) =>
            rows.Keep(d, m, logProposal));   // with the exact draws of enumerated sites: k̂ judges the guide alone
        return rows.Table();
    }

    /// <summary>
    /// A forced <c>--estimator enum|disarm</c> that no site of the model took is a user error after the first step,
    /// not a silent fit by other estimators (pathwise and score are checked site by site by the engine).
    /// </summary>
    static void CheckForcedEstimator(string name, IReadOnlyList<Ppl.Inference.Elbo.SiteEstimator> sites, string model)
    {
        if (Estimator(name) is not { } kind || kind is EstimatorKind.Pathwise or EstimatorKind.ScoreFunction) return;
        if (sites.Any(s => s.Kind == kind)) return;
        string what = kind == EstimatorKind.DisArm ? "DisARM applies to sampled Bernoulli sites" : "enumeration applies to discrete sites of finite support";
        throw new UserException($"--estimator {name}: no site of model '{model}' can take it ({what})");
    }

    /// <summary>The <c>--estimator</c> value as the engine's kind (null: each site's default).</summary>
    static EstimatorKind? Estimator(string name) => name switch
    {
        "auto" => null,
        "pathwise" => EstimatorKind.Pathwise,
        "score" => EstimatorKind.ScoreFunction,
        "enum" => EstimatorKind.Enumerate,
        "disarm" => EstimatorKind.DisArm,
        _ => throw new UserException($"--estimator {name}: unknown (use auto, pathwise, score, enum or disarm)"),
    };

    static string Name(EstimatorKind kind) => kind switch
    {
        EstimatorKind.Pathwise => "pathwise",
        EstimatorKind.ScoreFunction => "score",
        EstimatorKind.Enumerate => "enum",
        EstimatorKind.DisArm => "disarm",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The ELBO trace of an earlier run (resumed), so the resumed <c>elbo.csv</c> is the uninterrupted one.</summary>
    static void ReadTrace(string path, List<int> steps, List<double> elbos)
    {
        if (!File.Exists(path)) return;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var parts = line.Split(',');
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int s)
                && double.TryParse(parts[1], CultureInfo.InvariantCulture, out double e))
            {
                steps.Add(s);
                elbos.Add(e);
            }
        }
    }
}
