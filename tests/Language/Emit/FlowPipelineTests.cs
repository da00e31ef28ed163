using MathNet.Numerics.RootFinding;
using Ppl.Runtime.Data;
using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;

namespace Ppl.Language.Tests.Emit;

/// <summary>
/// Every flow of the language (<c>Planar</c>, <c>Radial</c>, <c>Iaf</c>, an <c>Iaf</c> with a per-element context,
/// and a chain) on a guide site, compiled and scored at a fixed value with its parameters set to fixed random values.
/// The expected density is computed in double from the papers' formulas: each layer inverted numerically (a bracketed
/// root for planar and radial, D fixed-point passes for the autoregressive IAF), log q(y) = log q₀(z₀) − Σ log|det J|.
/// </summary>
public sealed class FlowPipelineTests(PipelineHarness harness) : IClassFixture<PipelineHarness>
{
    static readonly double[] Loc = [0.2, -0.3, 0.5], Scale = [1.1, 0.8, 1.3];

    const string Source = """
        model M {
          data N: int
          data x: real[N, 2]
          zp: real[3] ~ Normal(0, 1)
          zr: real[3] ~ Normal(0, 1)
          zi: real[3] ~ Normal(0, 1)
          zrp: real[3] ~ Normal(0, 1)
          plate n in N {
            zc[n] ~ Normal(zeros(3), 1)
          }
        }
        guide G for M {
          zp ~ Normal([0.2, -0.3, 0.5], [1.1, 0.8, 1.3]) then Planar(2)
          zr ~ Normal([0.2, -0.3, 0.5], [1.1, 0.8, 1.3]) then Radial(2)
          zi ~ Normal([0.2, -0.3, 0.5], [1.1, 0.8, 1.3]) then Iaf(2, hidden: 5)
          zrp ~ Normal([0.2, -0.3, 0.5], [1.1, 0.8, 1.3]) then Radial(1) then Planar(1)
          plate n in N {
            zc[n] ~ Normal([0.2, -0.3, 0.5], [1.1, 0.8, 1.3]) then Iaf(2, hidden: 4, context: x[n])
          }
        }
        """;

    /// <summary>One flow layer in double: forward with log|det J|, and its inverse.</summary>
    interface ILayer
    {
        (double[] Y, double LogDet) Forward(double[] z);
        double[] Inverse(double[] y);
    }

    static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
    static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
    static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Rezende and Mohamed 2015, A.1: f(z) = z + û tanh(wᵀz + b), û = u + (m(wᵀu) − wᵀu) w/‖w‖², m(a) = −1 + softplus(a).</summary>
    sealed class PlanarLayer(double[] u, double[] w, double b) : ILayer
    {
        readonly double[] uHat = u.Zip(w, (ui, wi) => ui + (Softplus(Dot(w, u)) - 1 - Dot(w, u)) * wi / Dot(w, w)).ToArray();

        public (double[] Y, double LogDet) Forward(double[] z)
        {
            double t = Math.Tanh(Dot(w, z) + b);
            var psi = w.Select(wi => (1 - t * t) * wi).ToArray();
            return (z.Zip(uHat, (zi, ui) => zi + ui * t).ToArray(), Math.Log(Math.Abs(1 + Dot(uHat, psi))));
        }

        public double[] Inverse(double[] y)
        {
            // α = wᵀz solves α + (wᵀû) tanh(α + b) = wᵀy; the root lies within |wᵀû| of wᵀy.
            double s = Dot(w, y), wu = Dot(w, uHat);
            double alpha = Bisection.FindRoot(a => a + wu * Math.Tanh(a + b) - s, s - Math.Abs(wu) - 1, s + Math.Abs(wu) + 1, 1e-13);
            return y.Zip(uHat, (yi, ui) => yi - ui * Math.Tanh(alpha + b)).ToArray();
        }
    }

    /// <summary>Rezende and Mohamed 2015, A.2: f(z) = z + β/(α + r)·(z − z₀), r = ‖z − z₀‖, α = softplus(α̃), β = −α + softplus(β̃).</summary>
    sealed class RadialLayer(double[] z0, double alphaRaw, double betaRaw) : ILayer
    {
        readonly double alpha = Softplus(alphaRaw);
        readonly double beta = Softplus(betaRaw) - Softplus(alphaRaw);

        public (double[] Y, double LogDet) Forward(double[] z)
        {
            var d = z.Zip(z0, (a, c) => a - c).ToArray();
            double r = Math.Sqrt(Dot(d, d)), h = 1 / (alpha + r), dh = -h * h;
            var y = z.Zip(d, (zi, di) => zi + beta * h * di).ToArray();
            return (y, (z.Length - 1) * Math.Log(1 + beta * h) + Math.Log(1 + beta * h + beta * dh * r));
        }

        public double[] Inverse(double[] y)
        {
            // ‖y − z₀‖ = r(1 + β/(α + r)), increasing in r; z moves back along the same ray.
            var d = y.Zip(z0, (a, c) => a - c).ToArray();
            double s = Math.Sqrt(Dot(d, d));
            double r = Bisection.FindRoot(q => q + beta * q / (alpha + q) - s, 0, s + Math.Abs(beta) + 1, 1e-13);
            return z0.Zip(d, (c, di) => c + di * r / s).ToArray();
        }
    }

    /// <summary>
    /// Kingma et al. 2016, gated form: (m, s) = MADE(z), σ = sigmoid(s + 2), y = σ z + (1 − σ) m, log|det J| = Σ log σ.
    /// MADE (Germain et al. 2015): input i has degree i + 1 (D − i when reversed), hidden unit k degree k mod (D − 1) + 1;
    /// a hidden unit sees units of degree ≤ its own, output i (of each block) units of degree &lt; d(i); ELU between
    /// layers; the context enters the first hidden layer through an unmasked weight.
    /// </summary>
    sealed class IafLayer : ILayer
    {
        readonly int dim;
        readonly List<(double[] W, double[] B, int In, int Out)> layers = [];
        readonly double[]? contextWeight, context;
        readonly int[] inputDegrees;

        public IafLayer(Dictionary<string, double[]> p, string prefix, int dim, int hidden, bool reverse, double[]? context)
        {
            this.dim = dim;
            this.context = context;
            inputDegrees = Enumerable.Range(0, dim).Select(i => reverse ? dim - i : i + 1).ToArray();
            var hiddenDegrees = Enumerable.Range(0, hidden).Select(k => k % (dim - 1) + 1).ToArray();
            var outDegrees = Enumerable.Range(0, 2 * dim).Select(o => inputDegrees[o % dim]).ToArray();
            layers.Add((Masked(p[prefix + "made.layers.0.weight"], inputDegrees, hiddenDegrees, strict: false), p[prefix + "made.layers.0.bias"], dim, hidden));
            layers.Add((Masked(p[prefix + "made.layers.1.weight"], hiddenDegrees, outDegrees, strict: true), p[prefix + "made.layers.1.bias"], hidden, 2 * dim));
            if (context is not null) contextWeight = p[prefix + "made.context.weight"];
        }

        static double[] Masked(double[] w, int[] inDeg, int[] outDeg, bool strict)
        {
            var m = (double[])w.Clone();
            for (int j = 0; j < inDeg.Length; j++)
                for (int k = 0; k < outDeg.Length; k++)
                    if (!(strict ? outDeg[k] > inDeg[j] : outDeg[k] >= inDeg[j])) m[j * outDeg.Length + k] = 0;
            return m;
        }

        static double[] Affine(double[] x, double[] w, double[] b, int nIn, int nOut)
        {
            var y = (double[])b.Clone();
            for (int j = 0; j < nIn; j++)
                for (int k = 0; k < nOut; k++) y[k] += x[j] * w[j * nOut + k];
            return y;
        }

        (double[] M, double[] Sigma) Outputs(double[] z)
        {
            var (w0, b0, in0, out0) = layers[0];
            var h = Affine(z, w0, b0, in0, out0);
            if (context is not null)
                h = h.Zip(Affine(context, contextWeight!, new double[out0], context.Length, out0), (a, c) => a + c).ToArray();
            var (w1, b1, in1, out1) = layers[1];
            var o = Affine(h.Select(v => v > 0 ? v : Math.Exp(v) - 1).ToArray(), w1, b1, in1, out1);
            return (o[..dim], o[dim..].Select(s => Sigmoid(s + 2)).ToArray());
        }

        public (double[] Y, double LogDet) Forward(double[] z)
        {
            var (m, sigma) = Outputs(z);
            return (Enumerable.Range(0, dim).Select(i => sigma[i] * z[i] + (1 - sigma[i]) * m[i]).ToArray(), sigma.Sum(Math.Log));
        }

        public double[] Inverse(double[] y)
        {
            // The outputs of degree t depend only on inputs of degree < t, so after pass t the inputs of degree ≤ t are exact.
            var z = new double[dim];
            for (int pass = 0; pass < dim; pass++)
            {
                var (m, sigma) = Outputs(z);
                z = Enumerable.Range(0, dim).Select(i => m[i] + (y[i] - m[i]) / sigma[i]).ToArray();
            }
            return z;
        }
    }

    /// <summary>log q(y) for the Normal(Loc, Scale) base pushed through <paramref name="layers"/> (first applied first).</summary>
    static double LogDensity(double[] y, IReadOnlyList<ILayer> layers)
    {
        double logDet = 0;
        var v = y;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            var z = layers[i].Inverse(v);
            var (back, ld) = layers[i].Forward(z);
            Assert.All(back.Zip(v), p => Assert.Equal(p.Second, p.First, 9));   // the oracle's own inverse is exact
            logDet += ld;
            v = z;
        }
        return Enumerable.Range(0, v.Length).Sum(i => MN.Normal.PDFLn(Loc[i], Scale[i], v[i])) - logDet;
    }

    static PlanarLayer Planar(Dictionary<string, double[]> p, string prefix) => new(p[prefix + "u"], p[prefix + "w"], p[prefix + "b"][0]);
    static RadialLayer Radial(Dictionary<string, double[]> p, string prefix) => new(p[prefix + "z0"], p[prefix + "alpha"][0], p[prefix + "beta"][0]);

    /// <summary>
    /// Tolerance 1e-4 relative: float32 flows of two layers on three coordinates are good to ~1e-6, while a wrong
    /// layer order, a dropped log-determinant or a misread parameter moves the density by more than 1e-2.
    /// </summary>
    [Fact]
    public void EveryFlow_AtFixedValueAndParameters_LogDensityMatchesPaperFormulas()
    {
        using var asm = harness.Compile(Source, "flows");
        float[] x = [0.7f, -1.2f, 0.4f, 0.9f];
        var data = new DataSet().Add("x", Tensor.FromArray(x, 2, 2));
        double[] y = [0.3, -0.5, 0.8];
        double[][] yc = [[0.1, 0.6, -0.4], [-0.9, 0.2, 1.1]];
        var values = new Dictionary<string, Tensor>
        {
            ["zp"] = Tensor.Vector(0.3f, -0.5f, 0.8f), ["zr"] = Tensor.Vector(0.3f, -0.5f, 0.8f),
            ["zi"] = Tensor.Vector(0.3f, -0.5f, 0.8f), ["zrp"] = Tensor.Vector(0.3f, -0.5f, 0.8f),
            ["zc"] = Tensor.FromArray([0.1f, 0.6f, -0.4f, -0.9f, 0.2f, 1.1f], 2, 3),
        };
        var (trace, p) = PipelineHarness.RunWithFixedParameters(asm.Create("G", data), seed: 5, values: values);

        IafLayer Iaf(string site, int layer, int hidden, double[]? context) =>
            new(p, $"{site}.flow0.{layer}.", 3, hidden, reverse: layer % 2 == 1, context);
        var expected = new Dictionary<string, double>
        {
            ["zp"] = LogDensity(y, [Planar(p, "zp.flow0.0."), Planar(p, "zp.flow0.1.")]),
            ["zr"] = LogDensity(y, [Radial(p, "zr.flow0.0."), Radial(p, "zr.flow0.1.")]),
            ["zi"] = LogDensity(y, [Iaf("zi", 0, 5, null), Iaf("zi", 1, 5, null)]),
            ["zrp"] = LogDensity(y, [Radial(p, "zrp.flow0.0."), Planar(p, "zrp.flow1.0.")]),
            ["zc"] = Enumerable.Range(0, 2).Sum(n =>
            {
                double[] context = [x[2 * n], x[2 * n + 1]];
                return LogDensity(yc[n], [Iaf("zc", 0, 4, context), Iaf("zc", 1, 4, context)]);
            }),
        };
        foreach (var (site, e) in expected)
        {
            double actual = trace[site].ScaledLogProbSum().Value.ToScalar(), tol = 1e-4 * Math.Max(1, Math.Abs(e));
            Assert.True(Math.Abs(actual - e) <= tol, $"{site}: expected {e}, got {actual}");
        }
    }
}
