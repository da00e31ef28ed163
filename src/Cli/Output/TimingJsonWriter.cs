using System.Text.Json;

namespace Ppl.Cli.Output;

/// <summary>
/// <c>timing.json</c>: how long the fit loop took and its steps per second. Kept apart from <c>fit.json</c> because it
/// is the one output that differs between two runs of the same seed (as the elapsed-time comments do in CmdStan's
/// CSV): every other file can be compared byte for byte, or used as a build input, while the speed is still recorded.
/// </summary>
public static class TimingJsonWriter
{
    /// <summary>Writes the timings of <paramref name="report"/> into the open object of <paramref name="j"/>.</summary>
    public static void Write(FitReport report, Utf8JsonWriter j)
    {
        j.WriteNumber("steps", report.Steps);
        j.WriteNumber("wall_seconds", Math.Round(report.WallSeconds, 3));
        j.WriteNumber("steps_per_second", Math.Round(report.StepsPerSecond, 1));
    }
}
