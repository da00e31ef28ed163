using Spectre.Console;

namespace Ppl.Cli.Progress;

/// <summary>Picks the reporter for a fit: nothing with <c>--quiet</c>, else the console's, live when stderr is a terminal.</summary>
public static class FitReporter
{
    /// <summary>The reporter for the process's own console (progress on stderr, the end table on stdout).</summary>
    public static IFitReporter ForConsole(bool quiet, TextWriter stdout, TextWriter stderr)
    {
        if (quiet) return new QuietFitReporter();
        bool terminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        var progress = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stderr),
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
        });
        var output = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
        });
        return new ConsoleFitReporter(progress, output, TimeProvider.System);
    }
}

/// <summary><c>--quiet</c>: reports nothing.</summary>
public sealed class QuietFitReporter : IFitReporter
{
    /// <inheritdoc/>
    public void Start(int maxSteps) { }

    /// <inheritdoc/>
    public void Step(int step, double elbo) { }

    /// <inheritdoc/>
    public void Finish(Output.FitReport report, IReadOnlyList<Output.SummaryRow> summary, string outputDirectory) { }

    /// <inheritdoc/>
    public void Dispose() { }
}
