using MathNet.Numerics.LinearAlgebra;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Runtime.Tests.Transforms;

/// <summary>
/// Shared checks for bijections: inverse∘forward is the identity, and log|det J| matches the log-determinant of a
/// Jacobian computed by central differences. The Jacobian is that of the map from an event's free coordinates to
/// the free coordinates of its image (<paramref name="free"/> picks them), one event at a time.
/// Tolerance: each Jacobian entry has truncation error O(h²·f‴) ≈ 1e-6 and float32 rounding error ≈ ε₃₂·|y|/h ≈
/// 1e-4·|y| for h = 1e-3·max(1, |x|); log|det J| then moves by about Σ|δJ·J⁻¹| ≲ n·1e-4·cond(J), so 2e-3·n
/// (n the event size) catches a wrong formula (off by O(1)) without flagging rounding.
/// </summary>
public static class TransformCheck
{
    public static void RoundTrip(Transform t, Tensor x, double tol = 1e-4)
    {
        var y = t.Forward(Var.Const(x));
        Assert.Equal(t.ForwardShape(x.Shape), y.Shape);
        var back = t.Inverse(y).Value;
        Assert.Equal(x.Shape, back.Shape);
        var a = x.Span; var b = back.Span;
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= tol * (1 + Math.Abs(a[i])), $"element {i}: x = {a[i]}, inverse(forward(x)) = {b[i]}");
    }

    /// <summary>x has shape [events, n] for a vector transform (n = 1 per element for an elementwise one, x [events]).</summary>
    public static void LogDetMatchesJacobian(Transform t, Tensor x, Func<float[], double[]> free, double? tol = null)
    {
        bool elementwise = t.EventDim == 0;
        int events = x.Shape[0], n = elementwise ? 1 : x.Shape[^1];
        var y0 = t.Forward(Var.Const(x));
        var logDet = t.LogAbsDetJacobian(Var.Const(x), y0).Value;
        Assert.Equal(events, logDet.Size);
        int ySize = y0.Size / events;
        var xs = x.Clone();
        for (int e = 0; e < events; e++)
        {
            var jac = Matrix<double>.Build.Dense(n, n);
            for (int i = 0; i < n; i++)
            {
                int at = e * n + i;
                float x0 = xs.Span[at];
                float h = 1e-3f * Math.Max(1f, Math.Abs(x0));
                xs.Span[at] = x0 + h; var fp = free(Event(t.Forward(Var.Const(xs)).Value, e, ySize));
                xs.Span[at] = x0 - h; var fm = free(Event(t.Forward(Var.Const(xs)).Value, e, ySize));
                xs.Span[at] = x0;
                Assert.Equal(n, fp.Length);
                for (int r = 0; r < n; r++) jac[r, i] = (fp[r] - fm[r]) / (2.0 * h);
            }
            double expected = Math.Log(Math.Abs(jac.Determinant()));
            double got = logDet.Span[e];
            Assert.True(Math.Abs(expected - got) <= (tol ?? 2e-3 * n) * (1 + Math.Abs(expected)),
                $"event {e}: log|det J| = {got}, numerical {expected}");
        }
    }

    static float[] Event(Tensor y, int e, int size) => y.Span.Slice(e * size, size).ToArray();

    /// <summary>Every entry is a free coordinate (elementwise and ℝⁿ → ℝⁿ maps).</summary>
    public static double[] All(float[] y) => y.Select(v => (double)v).ToArray();

    /// <summary>The lower triangle of a row-major K×K matrix, row by row, with or without the diagonal.</summary>
    public static double[] LowerTriangle(float[] m, bool withDiagonal)
    {
        int k = (int)Math.Round(Math.Sqrt(m.Length));
        var r = new List<double>();
        for (int i = 0; i < k; i++)
            for (int j = 0; j < (withDiagonal ? i + 1 : i); j++) r.Add(m[i * k + j]);
        return r.ToArray();
    }

    public static Tensor Uniform(int seed, double lo, double hi, params int[] shape) =>
        Autodiff.GradCheck.RandomTensor(new System.Random(seed), shape, lo, hi);
}
