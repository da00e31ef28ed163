namespace Ppl.Runtime.Random;

/// <summary>
/// The 256-layer ziggurat for the standard normal (Marsaglia &amp; Tsang, "The ziggurat method for
/// generating random variables", J. Stat. Softw. 5(8), 2000), in the form of Doornik ("An improved
/// ziggurat method to generate normal random samples", 2005) where the base layer's width is the
/// virtual V/f(R) so every layer has the same area V.
/// </summary>
/// <remarks>
/// With f(x) = exp(−x²/2): X[1] = R, X[i+1] = f⁻¹(f(X[i]) + V/X[i]), X[0] = V/f(R), X[256] = 0, so layer i
/// is the box [0, X[i]] × [f(X[i]), f(X[i+1])] of area V. R and V were solved to 20 digits (the tail area
/// plus R·f(R) equals V and the top layer closes); building the table from them at start-up rather than
/// pasting 514 constants keeps it checkable.
/// </remarks>
internal static class ZigguratTables
{
    public const int Layers = 256;
    public const double R = 3.6541528853610088;
    public const double V = 0.0049286732339746553;

    /// <summary>Layer right edges X[0..256].</summary>
    public static readonly double[] X = BuildX();

    /// <summary>F[i] = exp(−X[i]²/2).</summary>
    public static readonly double[] F = BuildF(X);

    private static double[] BuildX()
    {
        var x = new double[Layers + 1];
        x[0] = V / Math.Exp(-0.5 * R * R);
        x[1] = R;
        for (int i = 1; i < Layers - 1; i++)
            x[i + 1] = Math.Sqrt(-2.0 * Math.Log(Math.Exp(-0.5 * x[i] * x[i]) + V / x[i]));
        x[Layers] = 0.0;
        return x;
    }

    private static double[] BuildF(double[] x)
    {
        var f = new double[x.Length];
        for (int i = 0; i < x.Length; i++) f[i] = Math.Exp(-0.5 * x[i] * x[i]);
        return f;
    }
}
