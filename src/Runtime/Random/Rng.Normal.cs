namespace Ppl.Runtime.Random;

public sealed partial class Rng
{
    /// <summary>
    /// A standard normal draw (double) by the 256-layer ziggurat (<see cref="ZigguratTables"/>): one
    /// 64-bit draw and two comparisons 98.8% of the time, with Marsaglia's exact tail algorithm beyond R.
    /// </summary>
    public double Normal()
    {
        double[] xs = ZigguratTables.X, fs = ZigguratTables.F;
        while (true)
        {
            ulong bits = NextULong();
            int i = (int)(bits & 0xFF);
            // Bits 11..63 give a symmetric u in [-1, 1); they do not overlap the layer index bits.
            double u = 2.0 * ((bits >> 11) * (1.0 / (1UL << 53))) - 1.0;
            double x = u * xs[i];
            if (Math.Abs(x) < xs[i + 1]) return x;
            if (i == 0) return NormalTail(u < 0);
            // Wedge: a uniform height in the layer against the density.
            double y = fs[i] + (fs[i + 1] - fs[i]) * NextDouble();
            if (y < Math.Exp(-0.5 * x * x)) return x;
        }
    }

    /// <summary>A normal draw with the given mean and standard deviation.</summary>
    public double Normal(double mean, double stdDev) => mean + stdDev * Normal();

    // Marsaglia (1964): for x = −ln(U1)/R, y = −ln(U2), accept R + x when 2y ≥ x²; exact for |Z| > R.
    private double NormalTail(bool negative)
    {
        const double r = ZigguratTables.R;
        double x, y;
        do
        {
            x = -Math.Log(NextDoubleOpen()) / r;
            y = -Math.Log(NextDoubleOpen());
        } while (2.0 * y < x * x);
        return negative ? -(r + x) : r + x;
    }
}
