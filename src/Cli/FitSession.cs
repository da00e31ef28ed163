using Ppl.Cli.Output;
using Ppl.Cli.Progress;

namespace Ppl.Cli;

/// <summary>
/// The part of <c>ppl fit</c> around the engine: progress, Ctrl-C, the outputs and the end-of-fit table. The engine
/// is a function that fits <see cref="FitPlan"/>, calls <see cref="IFitReporter.Step"/> after every step, stops at
/// the end of a step once the token is cancelled, and returns what it has (the last good parameters).
/// </summary>
public static class FitSession
{
    /// <summary>The shape of an inference engine as the CLI calls it.</summary>
    public delegate FitResult Engine(FitPlan plan, IFitReporter reporter, CancellationToken cancel);

    /// <summary>
    /// Runs <paramref name="engine"/> on <paramref name="plan"/>, reporting to <paramref name="reporter"/>, then writes
    /// every output (all or nothing) and the end table; a cancelled fit (Ctrl-C) still writes its outputs. In a
    /// distributed fit only rank 0 writes: every rank holds the same parameters.
    /// </summary>
    public static int Run(FitPlan plan, Engine engine, IFitReporter reporter, CancellationToken cancel, TextWriter? stderr = null)
    {
        reporter.Start(plan.Options.Steps * plan.Options.Paths);   // the paths of --paths report their steps as one count
        var result = engine(plan, reporter, cancel);
        if (plan.DataParallel is { IsRoot: false })
        {
            result.Cleanup?.Invoke();
            return Program.Ok;
        }
        IReadOnlyList<SummaryRow> rows;
        try { lock (FitCheckpointWriter.Gate) rows = FitOutputs.Write(plan.Options.Out, result); }
        finally { result.Cleanup?.Invoke(); }
        foreach (var w in result.Warnings) stderr?.WriteLine($"warning: {w}");
        reporter.Finish(result.Report, rows, plan.Options.Out);
        PhaseTimes.Mark("end table");
        return Program.Ok;
    }

    /// <summary>
    /// A token cancelled by the first Ctrl-C (the process keeps running so the fit ends at the end of its step and
    /// writes its outputs); a second Ctrl-C kills the process as usual.
    /// </summary>
    public static CancellationTokenSource CancelOnCtrlC()
    {
        var source = new CancellationTokenSource();
        ConsoleCancelEventHandler? handler = null;
        handler = (_, e) =>
        {
            if (source.IsCancellationRequested) return;
            e.Cancel = true;
            source.Cancel();
            Console.CancelKeyPress -= handler;
        };
        Console.CancelKeyPress += handler;
        source.Token.Register(() => Console.CancelKeyPress -= handler);
        return source;
    }
}
