using Ppl.Cli.Output;
using Ppl.Inference.Fitting;
using Ppl.Runtime.Models;

namespace Ppl.Cli;

/// <summary>One fit of a model from one seed: a single-path fit, or one path of <c>--paths K</c>.</summary>
/// <param name="Model">The model instance the fit ran on.</param>
/// <param name="Guide">The fitted guide.</param>
/// <param name="Svi">The fit loop, holding the fitted parameters (<see cref="Svi.Store"/>) and the step reached.</param>
/// <param name="Result">How the loop ended, the estimators it chose and its warnings.</param>
/// <param name="Trace">The ELBO per step.</param>
/// <param name="Seconds">Wall time of the fit loop.</param>
/// <param name="Interrupted">Whether Ctrl-C stopped it before convergence or the step budget.</param>
public sealed record PathFit(IModel Model, IModel Guide, Svi Svi, Inference.Fitting.FitResult Result, ElboTrace Trace, double Seconds, bool Interrupted);
