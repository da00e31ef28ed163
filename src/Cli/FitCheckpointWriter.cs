using Ppl.Cli.Output;
using Ppl.Inference.Fitting;

namespace Ppl.Cli;

/// <summary>
/// <c>--checkpoint-every N</c>: every N steps the process that writes (the only one, or rank 0 of a distributed fit)
/// saves what <c>--resume</c> reads — <c>params.json</c>, <c>params.json.fitstate</c> and <c>elbo.csv</c> — into the
/// <c>--out</c> folder. Each file is written under a temporary name and renamed over the old one only once all three
/// are written (<see cref="OutputFolder"/>), so a process killed mid-write leaves the previous checkpoint; and a
/// peer's failure waits for a write in progress (<see cref="Gate"/>) before it ends the process.
/// </summary>
public sealed class FitCheckpointWriter(string directory, int every)
{
    int lastStep = -1;

    /// <summary>Held while outputs are written; an exit on a peer's failure takes it first, so no write is cut short.</summary>
    public static readonly Lock Gate = new();

    /// <summary>The folder written to.</summary>
    public string Directory { get; } = directory;

    /// <summary>Steps between checkpoints.</summary>
    public int Every { get; } = every > 0 ? every : throw new ArgumentOutOfRangeException(nameof(every), every, "at least 1");

    /// <summary>The step of the last checkpoint written by this process (−1: none yet).</summary>
    public int LastStep => Volatile.Read(ref lastStep);

    /// <summary>Writes a checkpoint of <paramref name="svi"/> with its ELBO trace when its step is a multiple of <see cref="Every"/>.</summary>
    public void AfterStep(Svi svi, IReadOnlyList<int> steps, IReadOnlyList<double> elbos)
    {
        if (svi.Step % Every != 0 || svi.Step == LastStep) return;
        lock (Gate)
        {
            using var state = new SavedFitState(svi, "checkpoint");
            var trace = new ElboTrace([.. steps], [.. elbos]);
            using var folder = new OutputFolder(Directory);
            folder.Add("params.json", state.CopyParams);
            folder.Add("params.json.fitstate", state.CopyState);
            folder.AddText("elbo.csv", w => ElboCsvWriter.Write(trace, w));
            folder.Commit();
            Volatile.Write(ref lastStep, svi.Step);
        }
    }

    /// <summary>What a stopped fit leaves to resume from, for its last message.</summary>
    public string Describe() => LastStep < 0
        ? $"no checkpoint was written yet (every {Every} steps)"
        : $"the checkpoint of step {LastStep} in {Directory} is intact: continue with --resume {Directory}";
}
