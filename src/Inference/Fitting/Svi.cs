using Ppl.Inference.Distributed;
using Ppl.Inference.Elbo;
using Ppl.Inference.Optimizers;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Fitting;

/// <summary>
/// Stochastic variational inference: maximises the ELBO of a guide against a model by stochastic gradient steps
/// (Hoffman, Blei, Wang &amp; Paisley 2013; Kucukelbir et al. 2017 for the automatic form). <see cref="Fit(int?)"/> lists the
/// loop. An instance holds everything a step depends on — parameters, optimizer moments, the random stream, the
/// convergence windows — so a fit can stop at any step, be saved (<see cref="FitCheckpoint"/>) and continue with exactly
/// the numbers of an uninterrupted run.
/// </summary>
public sealed class Svi
{
    readonly Tape tape = new();
    readonly TraceElbo elbo;
    SplitMinibatch? split;
    bool probed;
    Site? firstBad;
    string? firstBadWhat;
    int badFromStep;

    /// <summary>A fit of <paramref name="guide"/> to <paramref name="model"/> whose parameters live in <paramref name="store"/>.</summary>
    public Svi(IModel model, IModel guide, SviOptions? options = null, ParamStore? store = null)
    {
        Model = model;
        Guide = guide;
        Options = options ?? new SviOptions();
        Store = store ?? new ParamStore(Options.Seed);
        Optimizer = Options.Optimizer(Options.LearningRate);
        Rng = new Rng(Options.Seed);
        elbo = new TraceElbo(new ElboOptions { Particles = Options.Particles, Force = Options.Estimator, Shard = Options.DataParallel?.Shard });
        Monitor = new ConvergenceMonitor(Options.Tol, Options.Window, Options.MinSteps);
    }

    /// <summary>The minibatch split into halves run in parallel, when the fit uses one (known from the first <see cref="Fit(int?)"/>).</summary>
    public SplitMinibatch? Split => split;

    /// <summary>The model.</summary>
    public IModel Model { get; }
    /// <summary>The guide.</summary>
    public IModel Guide { get; }
    /// <summary>The settings.</summary>
    public SviOptions Options { get; }
    /// <summary>Parameters of model and guide.</summary>
    public ParamStore Store { get; }
    /// <summary>The optimizer (its moments are part of the fit's state).</summary>
    public Optimizer Optimizer { get; }
    /// <summary>The fit's random stream.</summary>
    public Rng Rng { get; }
    /// <summary>The ELBO estimator (with a split minibatch, the first half's: its estimator choices stand for both).</summary>
    public TraceElbo Elbo => split?.Elbo ?? elbo;
    /// <summary>The convergence rule's windows.</summary>
    public ConvergenceMonitor Monitor { get; }
    /// <summary>The running mean of the parameters over the end of the annealing phase (<see cref="SviOptions.AverageSteps"/>).</summary>
    public IterateAverage Average { get; } = new();
    /// <summary>Steps taken so far.</summary>
    public int Step { get; internal set; }
    /// <summary>Steps skipped as non-finite so far.</summary>
    public int Skipped { get; internal set; }
    /// <summary>Non-finite steps in a row just now.</summary>
    public int NonFiniteRun { get; internal set; }
    /// <summary>The step at which the convergence rule was met and the final annealing began (−1: not yet).</summary>
    public int AnnealFrom { get; internal set; } = -1;
    /// <summary>The last step's ELBO estimate.</summary>
    public double LastElbo { get; private set; } = double.NaN;

    /// <summary>Fits <paramref name="guide"/> to <paramref name="model"/> with <paramref name="options"/> from a fresh start.</summary>
    public static FitResult Fit(IModel model, IModel guide, SviOptions? options = null, ParamStore? store = null) =>
        new Svi(model, guide, options, store).Fit();

    /// <summary>
    /// The loop, until convergence, too many non-finite steps, the budget, or step <paramref name="stopAt"/> (to pause
    /// a fit; calling again continues it). Each step: reset the tape; zero the gradients (here only); set the scheduled
    /// learning rate; estimate the ELBO and backpropagate −ELBO (<see cref="TraceElbo.Step"/>); check that the estimate
    /// and every gradient are finite, else skip the step and count it; clip; take the optimizer step; record the
    /// estimate and test convergence. Once the rule is met the fit anneals: for <see cref="SviOptions.AnnealSteps"/> more
    /// steps the learning rate falls along a half cosine to zero, so the parameters settle at the optimum instead of
    /// stopping wherever the last noisy step left them (with a constant rate they jitter by about the rate itself). The
    /// iterates of the last <see cref="SviOptions.AverageSteps"/> of those steps are averaged (<see cref="IterateAverage"/>)
    /// and the average is the converged fit's result: the rate is still nonzero in the last steps, so a one-particle
    /// fit's last iterate keeps its last steps' noise. A fit that stops at the budget or is paused keeps its last iterate.
    /// </summary>
    public FitResult Fit(int? stopAt = null)
    {
        int end = Math.Min(Options.Steps, stopAt ?? int.MaxValue);
        if (!probed && Step < end)
        {
            probed = true;
            if (Options.SplitMinibatch && Options.DataParallel is null) split = SplitMinibatch.For(Model, Guide, Store, Rng, elbo.Options);
        }
        while (Step < end)
        {
            tape.Reset();
            Optimizer.LearningRate = Options.Schedule.At(Step, Options.LearningRate) * AnnealFactor();
            ElboStep estimate;
            if (split is not null) estimate = split.Step(Model, Guide, Store, Rng);   // sets the gradients, no zeroing needed
            else
            {
                Store.ZeroGrad();
                estimate = elbo.Step(Model, Guide, Store, tape, Rng);
            }
            Step++;
            // Data-parallel: every process leaves with the same averaged gradients and ELBO, so the rest of the step agrees.
            LastElbo = Options.DataParallel?.AfterBackward(Store, Step, estimate.Elbo) ?? estimate.Elbo;
            // A split step checked its mean gradients as it formed them, each core its part (split implies no DataParallel).
            if (!double.IsFinite(LastElbo) || !(split?.GradientsFinite ?? GradientsFinite()))
            {
                Skipped++;
                if (NonFiniteRun++ == 0) RememberFirstBad(estimate);
                if (NonFiniteRun >= Options.MaxNonFinite) return Finish(StopReason.NonFinite, NonFiniteMessage());
                continue;
            }
            NonFiniteRun = 0;
            if (Options.ClipNorm is { } clip) GradientClipping.ClipGlobalNorm(Store.Leaves, clip);
            Optimizer.Step(Store);
            bool converged = Monitor.Add(LastElbo);
            if (Options.Progress is { } report && Step % Options.ProgressEvery == 0)
                report(new FitProgress(Step, LastElbo, Monitor.Smoothed, Skipped, Optimizer.LearningRate));
            if (converged && AnnealFrom < 0)
            {
                AnnealFrom = Step;
                ConvergedBecause = Monitor.Reason;
            }
            if (AnnealFrom >= 0 && Options.AverageSteps > 0 && Step > AnnealFrom + Options.AnnealSteps - Math.Min(Options.AverageSteps, Options.AnnealSteps))
                Average.Add(Store);
            if (AnnealFrom >= 0 && Step >= AnnealFrom + Options.AnnealSteps)
            {
                Average.CopyTo(Store);
                string averaged = Average.Count > 0 ? $"; the parameters are the mean of the last {Average.Count} iterates" : "";
                return Finish(StopReason.Converged, $"converged at step {AnnealFrom} ({ConvergedBecause}), then annealed for {Options.AnnealSteps} steps{averaged}");
            }
        }
        tape.Reset();
        return Finish(StopReason.Budget, Step >= Options.Steps
            ? $"stopped at the step budget ({Options.Steps}) before the convergence rule was met; raise the budget or the learning rate"
            : $"paused at step {Step}");
    }

    /// <summary>Why the convergence rule was met.</summary>
    public string? ConvergedBecause { get; internal set; }

    float AnnealFactor() => AnnealFrom < 0 ? 1f
        : (float)(0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (Step - AnnealFrom + 1.0) / (Options.AnnealSteps + 1.0)))));

    FitResult Finish(StopReason reason, string message)
    {
        Options.Progress?.Invoke(new FitProgress(Step, LastElbo, Monitor.Smoothed, Skipped, Optimizer.LearningRate));
        double smoothed = Monitor.Windows.Count > 0 ? Monitor.Smoothed : LastElbo;
        return new FitResult(Step, reason, message, smoothed, Skipped, Monitor.Windows.Select(w => w.Mean).ToArray(), Elbo.Estimators, Elbo.Warnings);
    }

    bool GradientsFinite()
    {
        foreach (var p in Store.Leaves)
            if (!Kernels.AllFinite(p.Grad!.Span)) return false;
        return true;
    }

    /// <summary>The first site, guide then model, whose value or log density is not finite; else the first parameter whose gradient is not.</summary>
    void RememberFirstBad(ElboStep estimate)
    {
        badFromStep = Step;
        firstBad = null;
        firstBadWhat = null;
        foreach (var trace in new[] { estimate.GuideTrace, estimate.ModelTrace })
            foreach (var s in trace.Sites)
            {
                if (s.Value is { } v && !AllFinite(v)) { (firstBad, firstBadWhat) = (s, "value"); return; }
                if (s.Kind is SiteKind.Sample or SiteKind.Factor && !AllFinite(s.LogProb)) { (firstBad, firstBadWhat) = (s, "log density"); return; }
            }
        foreach (var e in Store.Entries)
            foreach (float g in e.Unconstrained.Grad!.Span)
                if (!float.IsFinite(g)) { firstBadWhat = $"gradient of parameter '{e.Name}'"; return; }
    }

    static bool AllFinite(Var v)
    {
        foreach (float x in v.Value.Span) if (!float.IsFinite(x)) return false;
        return true;
    }

    string NonFiniteMessage()
    {
        string where = firstBad is { } s
            ? $"{s.Location}: the {firstBadWhat} of site '{s.Name}' was not finite"
            : firstBadWhat is { } w ? $"the {w} was not finite" : "the ELBO was not finite";
        return $"{where} (first at step {badFromStep}); {Options.MaxNonFinite} steps in a row had a non-finite ELBO or gradient, so the fit stopped with the parameters of step {badFromStep - 1}";
    }
}
