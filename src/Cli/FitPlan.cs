using Ppl.Cli.Commands;
using Ppl.Inference.Distributed;
using Ppl.Runtime.Data;

namespace Ppl.Cli;

/// <summary>
/// Everything a fit starts from, checked: the model (compiled, its data bound and validated), the guide chosen, and the
/// command line's settings. The inference engine turns this into a <see cref="Output.FitResult"/>.
/// </summary>
/// <param name="Model">The loaded model file and the model chosen in it.</param>
/// <param name="Data">The bound data (every declared item already checked by instantiating the model).</param>
/// <param name="Guide">The guide to fit.</param>
/// <param name="Options">The settings (steps, lr, particles, seed, draws, estimator, tol, resume, ...).</param>
/// <param name="DataParallel">The MPI processes of a <c>--distributed</c> fit (for <c>SviOptions.DataParallel</c>); null: one process.</param>
/// <param name="Checkpoints">Writes <c>--checkpoint-every</c>'s checkpoints; null when none are asked for or this process does not write (a rank above 0).</param>
public sealed record FitPlan(LoadedModel Model, DataSet Data, GuideChoice Guide, FitOptions Options, DataParallel? DataParallel = null,
    FitCheckpointWriter? Checkpoints = null);
