using Ppl.Inference.Fitting;

namespace Ppl.Cli;

/// <summary>
/// A fit's parameters and state (<see cref="FitCheckpoint"/>'s pair, tied by a hash) saved once into a private scratch
/// folder, from which an <see cref="Output.OutputFolder"/> copies them under its temporary names: the pair is written
/// together by <see cref="FitCheckpoint.Save"/>, so it cannot be written straight to two separate temporary paths.
/// Disposing deletes the scratch folder.
/// </summary>
public sealed class SavedFitState : IDisposable
{
    readonly string scratch;
    readonly string saved;

    /// <summary>Saves <paramref name="svi"/>; <paramref name="purpose"/> names the scratch folder (fit, checkpoint).</summary>
    public SavedFitState(Svi svi, string purpose)
    {
        scratch = Path.Combine(Path.GetTempPath(), $"ppl-{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        saved = Path.Combine(scratch, "params.json");
        try { FitCheckpoint.Save(svi, saved); }
        catch { Dispose(); throw; }
    }

    /// <summary>Copies <c>params.json</c> to <paramref name="path"/>.</summary>
    public void CopyParams(string path) => File.Copy(saved, path, true);

    /// <summary>Copies <c>params.json.fitstate</c> to <paramref name="path"/>.</summary>
    public void CopyState(string path) => File.Copy(FitCheckpoint.StatePath(saved), path, true);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Directory.Exists(scratch)) Directory.Delete(scratch, true);
    }
}
