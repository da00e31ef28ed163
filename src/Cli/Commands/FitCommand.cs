using System.CommandLine;
using Ppl.Cli.Progress;
using Ppl.Inference.Distributed;
using Ppl.Inference.Fitting;
using Ppl.Mpi;
using Ppl.Runtime.Params;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl fit FILE [--data ...] [--guide G] [--steps N] ...</c> (docs/language.md §3): load the model, bind and check its
/// data, choose the guide, fit, write the outputs. Everything up to the fit is checked before the first step.
/// </summary>
public static class FitCommand
{
    /// <summary>The engine's defaults, tuned so the classic models fit with no flags.</summary>
    static readonly SviOptions Defaults = new();

    /// <summary>The command's syntax.</summary>
    public static Command Definition()
    {
        var file = CommonOptions.ModelFile();
        var data = CommonOptions.Data();
        var model = CommonOptions.Model();
        var guide = new Option<string>("--guide", "-g") { Description = $"a built-in guide ({string.Join(", ", LoadedModel.BuiltInGuides)}) or a guide block of the file (default: the file's guide, else normal)", HelpName = "G" };
        guide.CompletionSources.Add([.. LoadedModel.BuiltInGuides]);
        var steps = CommonOptions.AtLeast(new Option<int>("--steps", "-n") { Description = "most optimizer steps", HelpName = "N", DefaultValueFactory = _ => Defaults.Steps }, 1);
        var lr = CommonOptions.Positive(new Option<double>("--lr") { Description = $"learning rate (Adam's step size; default {Defaults.LearningRate}, {FitOptions.NetLearningRate} when the model or guide declares a net)", HelpName = "X", DefaultValueFactory = _ => Defaults.LearningRate });
        var particles = CommonOptions.AtLeast(new Option<int>("--particles", "-k") { Description = "samples from the guide per ELBO estimate", HelpName = "K", DefaultValueFactory = _ => 1 }, 1);
        var seed = CommonOptions.Seed();
        var draws = CommonOptions.Draws(1000);
        var output = new Option<string>("--out", "-o") { Description = "output folder (default: out/NAME/)", HelpName = "DIR" };
        var estimator = new Option<string>("--estimator") { Description = "force a gradient estimator where it is valid", HelpName = "E", DefaultValueFactory = _ => "auto" };
        estimator.AcceptOnlyFromAmong(FitOptions.Estimators);
        var tol = CommonOptions.Positive(new Option<double>("--tol") { Description = "converged when the smoothed ELBO's relative change falls below T", HelpName = "T", DefaultValueFactory = _ => Defaults.Tol });
        var average = CommonOptions.AtLeast(new Option<int>("--average") { Description = $"return the mean of the iterates of the last N steps of the final annealing ({Defaults.AnnealSteps} steps; default 0: the last iterate)", HelpName = "N", DefaultValueFactory = _ => Defaults.AverageSteps }, 0);
        var paths = CommonOptions.AtLeast(new Option<int>("--paths") { Description = "independent fits (seeds S, S+1000, ...) whose guides' mixture is importance-resampled into the draws, for posteriors with several modes", HelpName = "K", DefaultValueFactory = _ => 1 }, 1);
        var resume = new Option<string>("--resume") { Description = "continue the fit saved in DIR (its parameters and optimizer state)", HelpName = "DIR" };
        var distributed = new Option<bool>("--distributed") { Description = "data-parallel over the processes of MPICH's mpiexec: each takes its slice of every minibatch (docs/distributed.md)" };
        var checkpointEvery = CommonOptions.AtLeast(new Option<int>("--checkpoint-every") { Description = "also save params.json, its .fitstate and elbo.csv to the --out folder every N steps, for --resume after a crash (default: only at the end)", HelpName = "N" }, 1);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress output" };
        var recentre = new Option<string>("--recentre") { Description = "auto: the normal, mvn, lowrank and planar guides learn how far to centre each latent the model uses only as L + S * r (written non-centred); off: draw it as declared", HelpName = "MODE", DefaultValueFactory = _ => "auto" };
        recentre.AcceptOnlyFromAmong(FitOptions.RecentreModes);
        var resample = new Option<string>("--resample") { Description = "auto: report draws Pareto-smoothed importance resampled from 4 times as many of the guide's and, for the normal, mvn and lowrank guides when k̂ ≥ 0.5, from a Student-t matched to them, which widens a guide too narrow in the tails (not for a subsampled plate or the delta guide); off: the guide's own draws", HelpName = "MODE", DefaultValueFactory = _ => "auto" };
        resample.AcceptOnlyFromAmong(FitOptions.ResampleModes);
        var c = PplCommand.Command("fit", "fit a guide by variational inference",
            "ppl fit examples/eight_schools/eight_schools.ppl",
            "ppl fit m.ppl --data y=y.csv --data sizes.json --guide mvn --steps 5000 --seed 2 --out out/m",
            "ppl fit m.dll --model M --resume out/m --quiet",
            "ppl fit examples/gmm/gmm.ppl --guide mvn --paths 8   (8 fits; their mixture, Pareto-smoothed and resampled)",
            "mpiexec.mpich -disable-auto-cleanup -n 4 ppl fit m.ppl --distributed --checkpoint-every 500   (docs/distributed.md)",
            "ppl fit @fit.rsp   (arguments read from a response file, one per line)");
        foreach (var o in new Option[] { data, model, guide, steps, lr, particles, seed, draws, output, estimator, tol, average, paths, recentre, resample, resume, distributed, checkpointEvery, quiet }) c.Add(o);
        c.Add(file);
        c.SetAction(r =>
        {
            string f = r.GetValue(file)!;
            var options = new FitOptions(f, r.GetValue(model), r.GetValue(data) ?? [], r.GetValue(guide), r.GetValue(steps), r.GetValue(lr),
                r.GetValue(particles), r.GetValue(seed), r.GetValue(draws), r.GetValue(output) ?? FitOptions.DefaultOut(f),
                r.GetValue(estimator)!, r.GetValue(tol), r.GetValue(resume), r.GetValue(distributed), r.GetValue(quiet))
            { CheckpointEvery = r.GetValue(checkpointEvery), AverageSteps = r.GetValue(average), Paths = r.GetValue(paths), Recentre = r.GetValue(recentre) != "off", Resample = r.GetValue(resample) != "off", LearningRateGiven = r.GetResult(lr) is { Implicit: false } };
            return Run(options, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error);
        });
        return c;
    }

    /// <summary>Runs the command writing to the given streams; returns the process exit code.</summary>
    public static int Run(FitOptions options, TextWriter stdout, TextWriter stderr)
    {
        // Only a process that writes plots warms them up; under --distributed the rank is not known yet, and the
        // warm-up's half second is nothing against a fit worth distributing.
        if (!options.Distributed) Output.PlotFiles.WarmUp();
        using var model = LoadedModel.Load(options.File, options.Model, stderr);
        if (model is null) return Program.UserError;
        PhaseTimes.Mark("compile or load model");
        if (!options.LearningRateGiven && model.DeclaresNet) options = options with { LearningRate = FitOptions.NetLearningRate };
        var data = model.BindData(options.Data, stderr);
        model.Instantiate(data);
        PhaseTimes.Mark("bind data");
        var guide = model.ChooseGuide(options.Guide);
        if (!guide.IsBuiltIn) model.Assembly.Create(guide.Name, data);
        CheckPaths(options, guide);
        if (options.Resume is { } resume) CheckResumable(resume);
        using var processes = JoinProcesses(options.Distributed);
        var checkpoints = options.CheckpointEvery > 0 && processes is not { IsRoot: false } ? new FitCheckpointWriter(options.Out, options.CheckpointEvery) : null;
        using var watch = WatchPeers(processes, checkpoints, stderr);
        var plan = new FitPlan(model, data, guide, options, processes, checkpoints);
        using var cancel = FitSession.CancelOnCtrlC();
        // Every rank fits; only rank 0 reports and writes (the ranks hold identical parameters).
        using var reporter = FitReporter.ForConsole(options.Quiet || plan.DataParallel is { IsRoot: false }, stdout, stderr);
        PhaseTimes.Mark("guide, MPI check, reporter");
        return FitSession.Run(plan, FitEngine.Run, reporter, cancel.Token, stderr);
    }

    /// <summary>The MPI processes when <c>--distributed</c> asks for them or a launcher started several; MPI is loaded only then.</summary>
    static DataParallel? JoinProcesses(bool distributed)
    {
        try { return MpiLaunch.Join(distributed); }
        catch (MpiUnavailableException e) { throw new UserException($"--distributed: {e.Message}"); }
    }

    /// <summary>
    /// In a distributed fit launched with <c>mpiexec -disable-auto-cleanup</c>, a process that exits early makes every
    /// other one stop with a message naming it (and, on rank 0, where to resume from) instead of waiting in its next
    /// all-reduce: see <see cref="PeerFailureWatch"/>. The exit waits for a checkpoint being written. Rank 0 first
    /// prints every rank's pid and host, which names the process Hydra reports when one is killed by a signal.
    /// </summary>
    static PeerFailureWatch? WatchPeers(DataParallel? processes, FitCheckpointWriter? checkpoints, TextWriter stderr)
    {
        if (processes?.Communicator is not MpiCommunicator world) return null;
        // Hydra names a process that died by a signal by its pid and host only: this line maps them to ranks.
        if (world.Rank == 0) stderr.WriteLine($"ppl fit: data-parallel over {world.Size} processes: {string.Join(", ", world.Peers)}");
        return new PeerFailureWatch(world.Peers, world.Rank, why =>
        {
            lock (FitCheckpointWriter.Gate)
            {
                string resume = checkpoints is { } c ? $"; {c.Describe()}" : world.Rank == 0 ? "" : " (rank 0 writes the checkpoints)";
                stderr.WriteLine($"ppl fit: error: rank {world.Rank} of {world.Size} stops: {why}{resume}");
                stderr.Flush();
                // MPI_Finalize would wait for the dead process: leave without it.
                Environment.Exit(Program.UserError);
            }
        });
    }


    /// <summary>
    /// A <c>--resume</c> folder must hold a readable <c>params.json</c> of a single-path fit: a <c>--paths</c> fit's
    /// <c>params.json</c> is only its best path, and resuming that alone would not continue the fit it came from.
    /// </summary>
    static void CheckResumable(string dir)
    {
        string path = Path.Combine(dir, "params.json");
        if (!File.Exists(path)) throw new UserException($"--resume {dir}: no params.json there (resume from the --out folder of an earlier fit)");
        ParamsFile.Read(path);
        if (FittedModel.PathsOfFit(path) is { Count: > 1 } paths)
            throw new UserException($"--resume {dir}: that folder holds a --paths {paths.Count} fit, which cannot be resumed (run it again, or resume one path's fit from {Path.Combine(dir, MultiPathFit.PathFolder(paths.Best))})");
    }

    /// <summary>
    /// <c>--paths K</c> runs K whole fits in this process: it excludes continuing one (<c>--resume</c>), checkpoints of one
    /// fit (<c>--checkpoint-every</c>) and MPI (<c>--distributed</c>), and needs guides with a density (not <c>delta</c>).
    /// </summary>
    static void CheckPaths(FitOptions options, GuideChoice guide)
    {
        if (options.Paths <= 1) return;
        string? clash = options.Resume is not null ? "--resume" : options.CheckpointEvery > 0 ? "--checkpoint-every" : options.Distributed ? "--distributed" : null;
        if (clash is not null) throw new UsageException($"--paths {options.Paths} cannot be combined with {clash} (each path is a whole fit of its own)");
        if (!options.Resample) throw new UsageException($"--paths {options.Paths} cannot be combined with --resample off (the paths are combined by resampling their mixture's draws)");
        if (guide.IsBuiltIn && guide.Name == "delta")
            throw new UserException($"--paths {options.Paths}: the delta guide is a point mass, with no density to weigh the paths' mixture by (use normal, mvn, lowrank or a flow)");
    }
}
