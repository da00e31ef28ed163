namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// x·log y with 0·log 0 = 0 (as in SciPy's <c>xlogy</c>): the entropy term p·log p and the log density of a
    /// count at the edge of its support, where the product form would give NaN.
    /// ∂/∂x = log y, ∂/∂y = x/y, both 0 where x = 0 (PyTorch sets ∂/∂x the same way).
    /// </summary>
    public static Var XLogY(Var x, Var y) => Elementwise<XLogYFunction>(x, y);

    readonly struct XLogYFunction : IScalarFunction2
    {
        public static double Value(double x, double y) => x == 0 ? 0 : x * Math.Log(y);
        public static (double Da, double Db) Gradient(double x, double y) =>
            x == 0 ? (0, 0) : (Math.Log(y), x / y);
    }
}
