using Ppl.Runtime.Random;

namespace Ppl.Runtime.Tests.Random;

public class RngContinuousTests
{
    [Fact]
    public void Exponential_KsAgainstClosedForm() =>
        GoodnessOfFit.AssertKs(GoodnessOfFit.Draw(20_000, new Rng(90).Exponential), x => x <= 0 ? 0 : -double.ExpM1(-x), "Exp(1)");

    [Fact]
    public void StandardCauchy_KsAgainstClosedForm() =>
        GoodnessOfFit.AssertKs(GoodnessOfFit.Draw(20_000, new Rng(91).StandardCauchy), x => 0.5 + Math.Atan(x) / Math.PI, "Cauchy");

    [Fact]
    public void StandardGumbel_KsAgainstClosedForm() =>
        GoodnessOfFit.AssertKs(GoodnessOfFit.Draw(20_000, new Rng(92).StandardGumbel), x => Math.Exp(-Math.Exp(-x)), "Gumbel");

    [Fact]
    public void StandardLogistic_KsAgainstClosedForm() =>
        GoodnessOfFit.AssertKs(GoodnessOfFit.Draw(20_000, new Rng(93).StandardLogistic), x => 1 / (1 + Math.Exp(-x)), "Logistic");

    [Fact]
    public void StandardLaplace_KsAgainstClosedForm() =>
        GoodnessOfFit.AssertKs(GoodnessOfFit.Draw(20_000, new Rng(94).StandardLaplace), x => x < 0 ? 0.5 * Math.Exp(x) : 1 - 0.5 * Math.Exp(-x), "Laplace");
}
