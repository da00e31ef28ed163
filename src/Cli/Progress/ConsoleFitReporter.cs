using System.Globalization;
using Ppl.Cli.Output;
using Spectre.Console;

namespace Ppl.Cli.Progress;

/// <summary>
/// Progress of a fit on a console (Spectre.Console). On a terminal: a live line with the step, the smoothed ELBO,
/// steps per second and the time left, redrawn by Spectre's progress display on its own thread. Elsewhere (a log, CI):
/// a plain line every <see cref="PlainInterval"/>. At the end, tables of the summary and the estimators, the
/// convergence verdict and k̂ with its warning.
/// </summary>
public sealed class ConsoleFitReporter(IAnsiConsole progress, IAnsiConsole output, TimeProvider clock) : IFitReporter
{
    /// <summary>Time between plain progress lines.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    /// <summary>Most summary rows in the end table; summary.csv has them all.</summary>
    public const int MaxTableRows = 30;

    readonly ElboSmoother smoother = new(100);
    int maxSteps, lastStep;
    long started, lastReport;
    ProgressTask? task;
    Task? display;
    readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    bool Live => progress.Profile.Capabilities.Interactive;

    /// <inheritdoc/>
    public void Start(int maxSteps)
    {
        this.maxSteps = maxSteps;
        started = lastReport = clock.GetTimestamp();
        if (!Live) return;
        var ready = new TaskCompletionSource();
        var bar = new Spectre.Console.Progress(progress, clock)
        {
            AutoClear = false,
            RefreshRate = TimeSpan.FromMilliseconds(100),
        }.Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn());
        display = bar.StartAsync(async ctx =>
        {
            task = ctx.AddTask("fitting", maxValue: maxSteps);
            ready.SetResult();
            await done.Task;
            ctx.Refresh();
        });
        ready.Task.Wait();
    }

    /// <inheritdoc/>
    public void Step(int step, double elbo)
    {
        smoother.Add(elbo);
        lastStep = step;
        long now = clock.GetTimestamp();
        if (Live)
        {
            task!.Value = step;
            // The description is a new string: throttled to the display's refresh rate so the loop stays allocation-free.
            if (clock.GetElapsedTime(lastReport, now) >= TimeSpan.FromMilliseconds(100) || step == maxSteps)
            {
                task.Description = Markup.Escape(Line(step, now, eta: false));
                lastReport = now;
            }
            return;
        }
        if (clock.GetElapsedTime(lastReport, now) >= PlainInterval)
        {
            progress.WriteLine(Line(step, now, eta: true));
            lastReport = now;
        }
    }

    string Line(int step, long now, bool eta)
    {
        double seconds = clock.GetElapsedTime(started, now).TotalSeconds;
        double rate = seconds > 0 ? step / seconds : 0;
        var inv = CultureInfo.InvariantCulture;
        string line = $"step {step.ToString(inv)}/{maxSteps.ToString(inv)}  elbo {smoother.Value.ToString("0.###", inv)}  {rate.ToString("0", inv)} steps/s";
        if (eta && rate > 0) line += $"  eta {FormatSeconds((maxSteps - step) / rate)}";
        return line;
    }

    static string FormatSeconds(double s) => s < 60 ? $"{s.ToString("0", CultureInfo.InvariantCulture)}s" : TimeSpan.FromSeconds(Math.Round(s)).ToString(s < 3600 ? @"m\:ss" : @"h\:mm\:ss", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public void Finish(FitReport report, IReadOnlyList<SummaryRow> summary, string outputDirectory)
    {
        StopDisplay();
        if (!Live && lastStep > 0) progress.WriteLine(Line(lastStep, clock.GetTimestamp(), eta: false));
        output.Write(FitSummaryTable.Summary(summary, MaxTableRows));
        if (report.Estimators.Count > 0) output.Write(FitSummaryTable.Estimators(report.Estimators));
        if (report.GuideReason is { } why) output.WriteLine($"guide {report.Guide} ({why})");
        foreach (var r in report.Recentred)
        {
            // Two short lines, the expression on the second: wrapped at 80 columns, "* a_raw" began a line like a bullet.
            output.WriteLine($"  {r.Site} partially centred (learned centredness {r.Centredness.ToString("0.00", CultureInfo.InvariantCulture)}; --recentre off: none)");
            output.WriteLine($"    the model uses it only as {r.Use}");
        }
        if (report.Paths is { } paths)
        {
            output.Write(FitSummaryTable.Paths(paths));
            output.WriteLine(FitSummaryTable.MixtureLine(paths));
        }
        output.WriteLine(FitSummaryTable.DrawsLine(report));
        output.MarkupLine(report.Convergence.Converged ? $"[green]{Markup.Escape(report.Convergence.Verdict)}[/]" : $"[yellow]{Markup.Escape(report.Convergence.Verdict)}[/]");
        if (report.ParetoK is { } k)
            output.MarkupLine(report.ParetoKWarning is { } w ? $"[yellow]warning: {Markup.Escape(w)}[/]" : $"k̂ = {k.ToString("0.00", CultureInfo.InvariantCulture)} (< 0.5: the guide fits the posterior well)");
        output.WriteLine($"{report.Steps} steps in {report.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s ({report.StepsPerSecond.ToString("0", CultureInfo.InvariantCulture)} steps/s); outputs in {outputDirectory}");
    }

    void StopDisplay()
    {
        if (display is null) return;
        done.TrySetResult();
        display.Wait();
        display = null;
    }

    /// <summary>Stops the live display if the fit ended without <see cref="Finish"/> (an error, Ctrl-C).</summary>
    public void Dispose() => StopDisplay();
}
