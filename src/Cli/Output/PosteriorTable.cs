namespace Ppl.Cli.Output;

/// <summary>One latent variable of the posterior: its name and shape (<c>[]</c> for a scalar, <c>[8]</c>, <c>[3, 2]</c>).</summary>
public sealed record PosteriorVariable(string Name, int[] Shape)
{
    /// <summary>The number of scalars.</summary>
    public int Size => Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>The scalar names as the language indexes them, 0-based and row-major: <c>theta[3]</c>, <c>W[1,0]</c>.</summary>
    public IEnumerable<string> ScalarNames() =>
        Enumerable.Range(0, Size).Select(i => Shape.Length == 0 ? Name : $"{Name}[{string.Join(",", Index(i))}]");

    /// <summary>The multi-index of the <paramref name="flat"/>-th scalar in row-major order.</summary>
    public int[] Index(int flat)
    {
        var idx = new int[Shape.Length];
        for (int d = Shape.Length - 1; d >= 0; d--) { idx[d] = flat % Shape[d]; flat /= Shape[d]; }
        return idx;
    }
}

/// <summary>
/// Draws from a fitted guide, in the constrained space the model declares; what the engine hands the output writers.
/// Every row holds the scalars of <see cref="Variables"/> in order, each variable flattened row-major (as tensors are).
/// </summary>
/// <param name="Variables">The latent variables, in the model's order of first sampling.</param>
/// <param name="Mean">The approximation's mean (its location, mapped to the constrained space), one value per scalar.</param>
/// <param name="Draws">One row per draw, one value per scalar.</param>
/// <param name="LogDensity">Per draw: the model's log joint density (CmdStan's <c>log_p__</c>).</param>
/// <param name="LogGuideDensity">Per draw: the guide's log density (CmdStan's <c>log_g__</c>).</param>
public sealed record PosteriorTable(
    IReadOnlyList<PosteriorVariable> Variables, double[] Mean, double[][] Draws, double[] LogDensity, double[] LogGuideDensity)
{
    /// <summary>Total scalars per row.</summary>
    public int Width => Variables.Sum(v => v.Size);

    /// <summary>Fails unless every row, the mean and the densities agree with <see cref="Variables"/>.</summary>
    public void Validate()
    {
        int w = Width;
        if (Mean.Length != w) throw new ArgumentException($"the mean has {Mean.Length} values for {w} scalars");
        if (LogDensity.Length != Draws.Length || LogGuideDensity.Length != Draws.Length)
            throw new ArgumentException($"{Draws.Length} draws but {LogDensity.Length} log_p and {LogGuideDensity.Length} log_g values");
        for (int i = 0; i < Draws.Length; i++)
            if (Draws[i].Length != w) throw new ArgumentException($"draw {i} has {Draws[i].Length} values for {w} scalars");
    }
}
