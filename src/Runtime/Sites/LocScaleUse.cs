using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Sites;

/// <summary>
/// A hint the compiler attaches to a latent site r ~ Normal(0, 1) that the model uses only through one affine
/// expression L + S·r, where L and S are functions of latent sites drawn before r: the model is written non-centred
/// (a = L + S·r). An automatic guide may then draw r through a learnable partial centring (Gorinova, Moore and
/// Hoffman 2020, "Automatic reparameterisation of probabilistic programs", arXiv 1906.03028), which needs L and S
/// at the guide's own draws of those latents. The hint changes only the guide family, never the model's density.
/// </summary>
/// <param name="Inputs">the latent sites L and S read, in the order <paramref name="Map"/> takes their values</param>
/// <param name="Map">L and S from the constrained values of <paramref name="Inputs"/>; each broadcasts to r's shape</param>
/// <param name="Text">the affine expression as written (<c>mu_a + sigma_a * a_raw</c>), for reports</param>
public sealed record LocScaleUse(IReadOnlyList<string> Inputs, Func<IReadOnlyList<Var>, (Var Loc, Var Scale)> Map, string Text);
