using Ppl.Runtime.Data;
using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;

namespace Ppl.Language.Tests.Emit;

/// <summary>
/// <c>net NAME = Mlp(...)</c> with each activation (and the default) called on data, its output the loc of an
/// observation, with the weights set to fixed random values: the observation's log density must match the MLP
/// written out in double (y = x·W + b per layer, stored [in, out], the activation between layers only).
/// </summary>
public sealed class NetPipelineTests(PipelineHarness harness) : IClassFixture<PipelineHarness>
{
    static readonly Dictionary<string, Func<double, double>> Activations = new()
    {
        ["relu"] = v => Math.Max(v, 0),
        ["tanh"] = Math.Tanh,
        ["elu"] = v => v > 0 ? v : Math.Exp(v) - 1,
        ["softplus"] = v => Math.Log(1 + Math.Exp(v)),
    };

    static double[] Mlp(Dictionary<string, double[]> p, string net, int[] sizes, Func<double, double> activation, double[] x)
    {
        var h = x;
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            double[] w = p[$"{net}.layers.{l}.weight"], y = (double[])p[$"{net}.layers.{l}.bias"].Clone();
            for (int j = 0; j < sizes[l]; j++)
                for (int k = 0; k < sizes[l + 1]; k++) y[k] += h[j] * w[j * sizes[l + 1] + k];
            h = l + 2 < sizes.Length ? y.Select(activation).ToArray() : y;
        }
        return h;
    }

    /// <summary>Tolerance 1e-4 relative: a float32 MLP of width ≤ 4 is good to ~1e-6; a wrong activation or a transposed weight moves each density by more than 1e-2.</summary>
    [Fact]
    public void Mlp_EachActivation_ObservationDensityMatchesHandForwardPass()
    {
        using var asm = harness.Compile("""
            model Nets {
              data x: real[2, 3]
              data y_relu: real[2, 2]
              data y_tanh: real[2, 2]
              data y_elu: real[2, 2]
              data y_softplus: real[2, 2]
              data y_default: real[2, 2]
              net f_relu = Mlp(3, 4, 2) activation: relu
              net f_tanh = Mlp(3, 4, 2) activation: tanh
              net f_elu = Mlp(3, 4, 2) activation: elu
              net f_softplus = Mlp(3, 4, 2) activation: softplus
              net f_default = Mlp(3, 4, 3, 2)
              y_relu ~ Normal(f_relu(x), 0.5)
              y_tanh ~ Normal(f_tanh(x), 0.5)
              y_elu ~ Normal(f_elu(x), 0.5)
              y_softplus ~ Normal(f_softplus(x), 0.5)
              y_default ~ Normal(f_default(x), 0.5)
            }
            """, "nets");
        float[] x = [0.7f, -1.2f, 0.4f, -0.3f, 0.9f, 1.5f], y = [0.2f, -0.6f, 1.1f, 0.05f];
        var data = new DataSet().Add("x", Tensor.FromArray(x, 2, 3));
        foreach (var a in new[] { "relu", "tanh", "elu", "softplus", "default" }) data.Add("y_" + a, Tensor.FromArray(y, 2, 2));
        // Range 1.5 puts pre-activations on both sides of 0, where the four activations differ most.
        var (trace, p) = PipelineHarness.RunWithFixedParameters(asm.Create("Nets", data), seed: 9, range: 1.5);

        foreach (var (name, activation) in Activations.Append(new("default", Activations["relu"])))
        {
            int[] sizes = name == "default" ? [3, 4, 3, 2] : [3, 4, 2];
            double expected = 0;
            for (int n = 0; n < 2; n++)
            {
                var loc = Mlp(p, "f_" + name, sizes, activation, [x[3 * n], x[3 * n + 1], x[3 * n + 2]]);
                for (int k = 0; k < 2; k++) expected += MN.Normal.PDFLn(loc[k], 0.5, y[2 * n + k]);
            }
            double actual = trace["y_" + name].ScaledLogProbSum().Value.ToScalar(), tol = 1e-4 * Math.Max(1, Math.Abs(expected));
            Assert.True(Math.Abs(actual - expected) <= tol, $"{name}: expected {expected}, got {actual}");
        }
    }
}
