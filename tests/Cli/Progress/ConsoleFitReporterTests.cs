using Ppl.Cli.Output;
using Ppl.Cli.Progress;
using Ppl.Cli.Tests.Output;
using Spectre.Console.Testing;

namespace Ppl.Cli.Tests.Progress;

/// <summary>A clock the test moves by hand.</summary>
sealed class ManualClock : TimeProvider
{
    long ticks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => ticks;
    public void Advance(TimeSpan t) => ticks += t.Ticks;
}

public sealed class ConsoleFitReporterTests
{
    static (ConsoleFitReporter Reporter, TestConsole Progress, TestConsole Output, ManualClock Clock) Create(bool interactive)
    {
        var progress = new TestConsole();
        progress.Profile.Capabilities.Interactive = interactive;
        progress.Profile.Width = 120;
        var output = new TestConsole();
        output.Profile.Width = 120;
        var clock = new ManualClock();
        return (new ConsoleFitReporter(progress, output, clock), progress, output, clock);
    }

    static void Run(IFitReporter reporter, ManualClock clock, int steps, TimeSpan perStep)
    {
        reporter.Start(steps);
        for (int s = 1; s <= steps; s++)
        {
            clock.Advance(perStep);
            reporter.Step(s, -100 + s * 0.01);
        }
    }

    [Fact]
    public void Plain_PrintsALineEveryIntervalWithStepElboRateAndEta()
    {
        var (reporter, progress, _, clock) = Create(interactive: false);
        // 1000 steps at 10 ms: 10 s in all, so a line at 5 s and one at 10 s.
        Run(reporter, clock, 1000, TimeSpan.FromMilliseconds(10));
        var lines = progress.Lines.Where(l => l.Length > 0).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal("step 500/1000  elbo -95.495  100 steps/s  eta 5s", lines[0]);
        Assert.StartsWith("step 1000/1000", lines[1]);
    }

    [Fact]
    public void Finish_PrintsSummaryEstimatorsVerdictAndParetoWarning()
    {
        var (reporter, _, output, clock) = Create(interactive: false);
        Run(reporter, clock, 10, TimeSpan.FromMilliseconds(10));
        var rows = PosteriorSummary.Of(SampleFit.Table(SampleFit.EightSchools, 50));
        reporter.Finish(SampleFit.Report(k: 0.9), rows, "out/eight_schools");
        string text = output.Output;
        Assert.Contains("theta_raw[7]", text);
        Assert.Contains("Normal is reparameterizable", text);
        Assert.Contains("converged at step 2400", text);
        Assert.Contains("warning: k̂ = 0.90 > 0.7", text);
        Assert.Contains("outputs in out/eight_schools", text);
    }

    [Fact]
    public void Finish_RecentredSite_SaysTheGuideWhyAndWhatItCentred()
    {
        var (reporter, _, output, _) = Create(interactive: false);
        var report = SampleFit.Report() with { GuideReason = "the default: the file has no guide block", Recentred = [new("theta_raw", "mu + tau * theta_raw", 0.04)] };
        reporter.Finish(report, PosteriorSummary.Of(SampleFit.Table(SampleFit.EightSchools, 20)), "o");
        Assert.Contains("guide normal (the default: the file has no guide block)", output.Output);
        Assert.Contains("theta_raw partially centred (learned centredness 0.04; --recentre off: none)", output.Output);
        Assert.Contains("the model uses it only as mu + tau * theta_raw", output.Output);
    }

    [Fact]
    public void Finish_ManyScalars_CutsTheTableAndSaysWhere()
    {
        var (reporter, _, output, clock) = Create(interactive: false);
        Run(reporter, clock, 1, TimeSpan.FromMilliseconds(10));
        reporter.Finish(SampleFit.Report(k: null), PosteriorSummary.Of(SampleFit.Table([new("z", [40])], 5)), "o");
        Assert.Contains("10 more rows in summary.csv", output.Output);
        Assert.DoesNotContain("z[30]", output.Output);
    }

    [Fact]
    public void Live_ShowsTheProgressLineAndEndsCleanly()
    {
        var (reporter, progress, output, clock) = Create(interactive: true);
        Run(reporter, clock, 200, TimeSpan.FromMilliseconds(10));
        reporter.Finish(SampleFit.Report(), PosteriorSummary.Of(SampleFit.Table(SampleFit.EightSchools, 20)), "o");
        reporter.Dispose();
        Assert.Contains("step 200/200", progress.Output);
        Assert.Contains("steps/s", progress.Output);
        Assert.Contains("mu", output.Output);
    }

    [Fact]
    public void Quiet_WritesNothing()
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        using var reporter = FitReporter.ForConsole(quiet: true, o, e);
        reporter.Start(10);
        reporter.Step(1, -3);
        reporter.Finish(SampleFit.Report(), [], "o");
        Assert.Equal("", o.ToString() + e.ToString());
    }
}
