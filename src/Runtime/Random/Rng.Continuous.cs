namespace Ppl.Runtime.Random;

public sealed partial class Rng
{
    // Inversion samplers for the location–scale families the distributions build on. Each uses an open
    // uniform so the logarithm or tangent is finite.

    /// <summary>An Exponential(1) draw, −ln U.</summary>
    public double Exponential() => -Math.Log(NextDoubleOpen());

    /// <summary>A standard Cauchy draw, tan(π(U − ½)).</summary>
    public double StandardCauchy() => Math.Tan(Math.PI * (NextDoubleOpen() - 0.5));

    /// <summary>A standard Gumbel draw, −ln(−ln U) (for Gumbel-max and relaxed categorical samples).</summary>
    public double StandardGumbel() => -Math.Log(-Math.Log(NextDoubleOpen()));

    /// <summary>A standard logistic draw, ln(U/(1 − U)).</summary>
    public double StandardLogistic() => Numerics.SpecialFunctions.Logit(NextDoubleOpen());

    /// <summary>A standard Laplace draw: with u = U − ½, −sign(u)·ln(1 − 2|u|).</summary>
    public double StandardLaplace()
    {
        double u = NextDoubleOpen() - 0.5;
        double e = -Numerics.SpecialFunctions.Log1p(-2 * Math.Abs(u));
        return u < 0 ? -e : e;
    }
}
