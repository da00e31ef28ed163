using Ppl.Cli.Commands;
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
public sealed record FitPlan(LoadedModel Model, DataSet Data, GuideChoice Guide, FitOptions Options);
