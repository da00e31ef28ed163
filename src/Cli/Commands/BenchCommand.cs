using System.CommandLine;
using System.Globalization;
using Ppl.Cli.Bench;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl bench [NAME...] [--warmup SECONDS] [--steps N] [--list]</c> (see docs/language.md §3): runs the built-in benchmarks, or those whose name
/// starts with one of the given names (a full name picks just that one; <c>--steps</c> shortens the vae-fit epoch), printing one <c>NAME: VALUE UNIT</c> line each as it finishes.
/// </summary>
public static class BenchCommand
{
    sealed record Benchmark(string Name, string Unit, Func<double> Run);

    static readonly Benchmark[] All = Build();

    /// <summary>Every benchmark's name, in the order <c>ppl bench</c> runs them.</summary>
    public static IReadOnlyList<string> Names => [.. All.Select(b => b.Name)];

    static Benchmark[] Build()
    {
        int cores = Environment.ProcessorCount;
        var list = new List<Benchmark>();
        // The layer shapes of the VAE at batch 128: forward 128×784·784×400, weight gradient 400×128·128×784.
        foreach (var (name, m, k, n) in new[] { ("gemm-128x784x400", 128, 784, 400), ("gemm-400x128x784", 400, 128, 784), ("gemm-1024", 1024, 1024, 1024) })
        {
            list.Add(new(name, "GFLOP/s", () => BenchGemm.GflopsPerSecond(m, k, n, cores)));
            list.Add(new(name + "-t1", "GFLOP/s", () => BenchGemm.GflopsPerSecond(m, k, n, 1)));
        }
        list.Add(new("vae-step", "images/s", () => BenchVae.ImagesPerSecond(cores)));
        list.Add(new("vae-step-t1", "images/s", () => BenchVae.ImagesPerSecond(1)));
        // Variance ratios (see BenchGradientVariance): 'ppl bench score' prints the three score lines, 'ppl bench grad' the pathwise variance and the two ratios to it.
        list.Add(new("score-variance", "x", BenchGradientVariance.ScoreVarianceRatio));
        list.Add(new("score-variance-ema", "x", BenchGradientVariance.EmaRatio));
        list.Add(new("score-variance-leave-one-out", "x", BenchGradientVariance.LeaveOneOutRatio));
        list.Add(new("score-variance-disarm", "x", BenchGradientVariance.DisArmRatio));
        list.Add(new("score-variance-disarm-vs-leave-one-out", "x", BenchGradientVariance.DisArmOverLeaveOneOut));
        list.Add(new("score-variance-disarm-vs-ema-per-run", "x", BenchGradientVariance.DisArmOverEmaPerRun));
        list.Add(new("score-variance-guide-enum", "(gradient variance, enumerated in the guide)", BenchGradientVariance.GuideEnumVariance));
        list.Add(new("score-variance-guide-enum-disarm", "(gradient variance, DisARM, same guide)", BenchGradientVariance.GuideEnumDisArmVariance));
        list.Add(new("score-variance-learned", "x", BenchGradientVariance.LearnedRatio));
        list.Add(new("score-variance-learned-vs-ema", "x", BenchGradientVariance.LearnedOverEma));
        list.Add(new("enum-hmm", "steps/s", BenchEnumeration.HmmStepsPerSecond));
        list.Add(new("enum-hmm-memory", "MB", BenchEnumeration.HmmMegabytes));
        list.Add(new("enum-mixture-10k-memory", "MB", BenchEnumeration.MixtureMegabytes));
        list.Add(new("grad-variance-pathwise", "(variance)", BenchGradientVariance.PathwiseVariance));
        list.Add(new("grad-variance-score", "x", BenchGradientVariance.ScoreOverPathwise));
        list.Add(new("grad-variance-score-baseline", "x", BenchGradientVariance.ScoreWithBaselineOverPathwise));
        list.Add(new("elbo-particles-8", "x (step time over 1 particle)", BenchGradientVariance.ParticleCostRatio));
        list.Add(new("svi-eight-schools", "steps/s", BenchSviEightSchools.StepsPerSecond));
        list.Add(new("svi-eight-schools-cpu", "steps per CPU second", BenchSviEightSchools.StepsPerCpuSecond));
        list.Add(new("svi-eight-schools-alloc", "bytes/step", BenchSviEightSchools.BytesPerStep));
        list.Add(new("vae-fit", "images/s", () => BenchVaeFit.ImagesPerSecond(cores)));
        list.Add(new("vae-fit-t1", "images/s", () => BenchVaeFit.ImagesPerSecond(1)));
        list.Add(new("vae-fit-profile", "ms/step", () => BenchVaeFitProfile.MillisecondsPerStep(cores)));
        list.Add(new("gemm-vae-shapes", "x (1 thread over all threads)", () => BenchGemm.VaeShapesSpeedup(cores)));
        list.Add(new("vae-fit-profile-t1", "ms/step", () => BenchVaeFitProfile.MillisecondsPerStep(1)));
        foreach (var v in BenchVaeFit.Variants)
            list.Add(new("vae-fit-" + v.Name, "images/s", () => BenchVaeFit.ImagesPerSecond(cores, v.File, v.Model, v.Guide)));
        return [.. list];
    }

    /// <summary>The command's syntax.</summary>
    public static Command Definition()
    {
        var names = new Argument<string[]>("NAME") { Description = "benchmarks to run: full names, or prefixes (gemm runs every GEMM shape)", Arity = ArgumentArity.ZeroOrMore };
        var warmup = new Option<double>("--warmup") { Description = "seconds of warm-up before timing", HelpName = "SECONDS", DefaultValueFactory = _ => BenchTimer.WarmupSeconds };
        var steps = new Option<int?>("--steps") { Description = "timed steps of the vae-fit benchmarks (default: one epoch)", HelpName = "N" };
        var list = new Option<bool>("--list") { Description = "list the benchmarks' names and exit" };
        var c = PplCommand.Command("bench", "run the built-in benchmarks", "ppl bench", "ppl bench gemm --warmup 3", "ppl bench --list");
        c.Add(names);
        c.Add(warmup);
        c.Add(steps);
        c.Add(list);
        c.SetAction(r => Run(r.GetValue(names) ?? [], r.GetValue(warmup), r.GetValue(list), r.InvocationConfiguration.Output, r.GetValue(steps)));
        return c;
    }

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> names, double warmup, bool list, TextWriter stdout, int? stepsOption = null)
    {
        if (!(warmup >= 0)) throw new UsageException("--warmup expects seconds ≥ 0");
        int steps = stepsOption ?? BenchVaeFit.EpochSteps;
        if (steps < 1) throw new UsageException("--steps expects a positive number of timed steps");
        if (list)
        {
            foreach (var name in Names) stdout.WriteLine(name);
            return Program.Ok;
        }
        // A full name picks that benchmark alone; anything else is a prefix ("gemm" runs every GEMM shape).
        var chosen = All.Where(b => names.Count == 0 || names.Any(n =>
            n == b.Name || (!All.Any(x => x.Name == n) && b.Name.StartsWith(n, StringComparison.Ordinal)))).ToArray();
        if (chosen.Length == 0)
            throw new UsageException($"no benchmark named '{string.Join("', '", names)}' (see 'ppl bench --list')");
        BenchTimer.WarmupSeconds = warmup;
        BenchVaeFit.Steps = steps;
        foreach (var b in chosen)
            stdout.WriteLine($"{b.Name}: {b.Run().ToString("0.0", CultureInfo.InvariantCulture)} {b.Unit}");
        return Program.Ok;
    }
}
