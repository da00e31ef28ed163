using Ppl.Cli.Output;

namespace Ppl.Cli.Tests.Output;

/// <summary>
/// A made-up fit of eight schools (variables named as Stan's own file has them) with a matrix added, drawn from
/// fixed normals so every output can be checked against values computed here.
/// </summary>
public static class SampleFit
{
    /// <summary>Eight schools' latents as Stan's file lists them: <c>mu, tau, theta_raw[8], theta[8]</c>.</summary>
    public static readonly PosteriorVariable[] EightSchools = [new("mu", []), new("tau", []), new("theta_raw", [8]), new("theta", [8])];

    /// <summary>Normal draws for <paramref name="variables"/>; column c has mean c and sd 1 + c/10.</summary>
    public static PosteriorTable Table(PosteriorVariable[] variables, int draws, int seed = 1)
    {
        var rng = new Random(seed);
        int width = variables.Sum(v => v.Size);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var rows = new double[draws][];
        for (int d = 0; d < draws; d++)
        {
            rows[d] = new double[width];
            for (int c = 0; c < width; c++) rows[d][c] = c + (1 + c / 10.0) * Normal();
        }
        return new(variables, [.. Enumerable.Range(0, width).Select(c => (double)c)], rows,
            [.. Enumerable.Range(0, draws).Select(d => -40.0 - d % 7)], [.. Enumerable.Range(0, draws).Select(d => -3.0 - d % 5)]);
    }

    /// <summary>A report as the engine would fill it.</summary>
    public static FitReport Report(double? k = 0.42) => new("EightSchools", "normal", 1, 2400, 10000, 0.05, 1, 0.01,
        [new("mu", "pathwise", "Normal is reparameterizable"), new("tau", "pathwise", "LogNormal is reparameterizable")],
        new(true, 2400, "converged at step 2400: the smoothed ELBO changed by less than 0.01"), k, 1.2);

    /// <summary>An ELBO trace rising like a real fit's, with noise.</summary>
    public static ElboTrace Trace(int steps, int seed = 2)
    {
        var rng = new Random(seed);
        return new([.. Enumerable.Range(1, steps)], [.. Enumerable.Range(1, steps).Select(s => -45 - 200 * Math.Exp(-s / 150.0) + 3 * (rng.NextDouble() - 0.5))]);
    }

    /// <summary>The whole result; <paramref name="writeParams"/> stands in for the parameter store's writer.</summary>
    public static FitResult Result(Action<string>? writeParams = null) =>
        new(Report(), Table(EightSchools, 100), Trace(1000), writeParams ?? (p => File.WriteAllText(p, """{"format": "ppl-params"}""")));
}
