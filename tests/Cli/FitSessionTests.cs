using Ppl.Cli.Commands;
using Ppl.Cli.Output;
using Ppl.Cli.Progress;
using Ppl.Cli.Tests.Output;
using Ppl.Cli.Tests.Progress;
using Spectre.Console.Testing;

namespace Ppl.Cli.Tests;

/// <summary>The fit session around a stand-in engine that replays a made-up trace: progress, outputs, cancellation.</summary>
public sealed class FitSessionTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-session-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    FitPlan Plan(int steps) => new(null!, new(), new("normal", true),
        new FitOptions("m.ppl", null, [], null, steps, 0.05, 1, 1, 100, Path.Combine(dir, "out"), "auto", 0.01, null, false, false));

    /// <summary>Reports every step of <see cref="SampleFit.Trace"/> until cancelled, then returns what it reached.</summary>
    static FitResult Replay(FitPlan plan, IFitReporter reporter, CancellationToken cancel, Action<int>? afterStep = null)
    {
        var trace = SampleFit.Trace(plan.Options.Steps);
        int done = 0;
        for (int s = 0; s < trace.Steps.Length && !cancel.IsCancellationRequested; s++)
        {
            reporter.Step(trace.Steps[s], trace.Elbo[s]);
            done = s + 1;
            afterStep?.Invoke(done);
        }
        var result = SampleFit.Result();
        return result with { Trace = new(trace.Steps[..done], trace.Elbo[..done]), Report = result.Report with { Steps = done } };
    }

    [Fact]
    public void Run_WritesEveryOutputAndTheEndTable()
    {
        var (progress, output) = (new TestConsole(), new TestConsole());
        using var reporter = new ConsoleFitReporter(progress, output, new ManualClock());
        int exit = FitSession.Run(Plan(300), (p, r, c) => Replay(p, r, c), reporter, CancellationToken.None);
        Assert.Equal(Program.Ok, exit);
        foreach (var f in FitOutputs.Files) Assert.True(File.Exists(Path.Combine(dir, "out", f)), f);
        Assert.Equal(301, File.ReadLines(Path.Combine(dir, "out", "elbo.csv")).Count());
        Assert.Contains("theta[7]", output.Output);
    }

    [Fact]
    public void Run_Cancelled_StopsAtTheEndOfTheStepAndStillWritesOutputs()
    {
        using var cancel = new CancellationTokenSource();
        var plan = Plan(1000);
        FitSession.Run(plan, (p, r, c) => Replay(p, r, c, step => { if (step == 120) cancel.Cancel(); }), new QuietFitReporter(), cancel.Token);
        Assert.Equal(121, File.ReadLines(Path.Combine(dir, "out", "elbo.csv")).Count());
    }
}
