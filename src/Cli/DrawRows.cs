using Ppl.Cli.Output;
using Ppl.Runtime.Sites;

namespace Ppl.Cli;

/// <summary>
/// Posterior draws gathered into a <see cref="PosteriorTable"/>: per draw, every latent and deterministic site of the
/// model's trace flattened into one row, with the draw's log p(x, z) and the log density of whatever proposed it.
/// </summary>
/// <param name="model">The model's name, for the error when its sites change shape.</param>
/// <param name="draws">The number of draws to hold.</param>
public sealed class DrawRows(string model, int draws)
{
    readonly List<PosteriorVariable> variables = new();
    readonly double[][] rows = new double[draws][];
    readonly double[] logP = new double[draws];
    readonly double[] logQ = new double[draws];

    /// <summary>Copies draw <paramref name="d"/> out of the model's trace <paramref name="m"/> (whose tensors the next draw reuses); threads may keep different draws at once.</summary>
    public void Keep(int d, Trace m, double logProposal)
    {
        var kept = m.Sites.Where(s => s.Kind == SiteKind.Deterministic || (s.Kind == SiteKind.Sample && !s.IsObserved)).ToArray();
        lock (variables)   // the paths of a multi-path fit keep their draws from several threads
            if (variables.Count == 0) variables.AddRange(kept.Select(s => new PosteriorVariable(s.Name, [.. s.Value!.Shape])));
        var row = new List<double>();
        foreach (var s in kept) foreach (float x in s.Value!.Value.Span) row.Add(x);
        if (row.Count != variables.Sum(v => v.Size))
            throw new UserException($"model {model}: its latent sites change shape from draw to draw, so they cannot be written as columns");
        rows[d] = [.. row];
        logP[d] = m.LogJoint().ToScalar();
        logQ[d] = logProposal;
    }

    /// <summary>The number of draws held.</summary>
    public int Count => rows.Length;

    /// <summary>The log joint density of draw <paramref name="d"/>.</summary>
    public double LogJoint(int d) => logP[d];

    /// <summary>The table of every draw, its mean the mean of the draws.</summary>
    public PosteriorTable Table() => Select(Enumerable.Range(0, rows.Length).ToArray());

    /// <summary>The table of the draws <paramref name="indices"/> in that order (repeats allowed), its mean theirs.</summary>
    public PosteriorTable Select(int[] indices)
    {
        int width = variables.Sum(v => v.Size);
        var mean = new double[width];
        foreach (int i in indices) for (int j = 0; j < width; j++) mean[j] += rows[i][j] / indices.Length;
        return new PosteriorTable(variables, mean, [.. indices.Select(i => rows[i])], [.. indices.Select(i => logP[i])], [.. indices.Select(i => logQ[i])]);
    }
}
