using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Nn;

public class ActivationTests
{
    [Fact]
    public void Parse_PplNames_RoundTrip()
    {
        foreach (var a in Enum.GetValues<Activation>()) Assert.Equal(a, Activations.Parse(a.Name()));
        Assert.Null(Activations.Parse("sigmoid"));
    }

    [Theory]
    [InlineData(Activation.Relu, -1.5, 0)] [InlineData(Activation.Relu, 2, 2)]
    [InlineData(Activation.Tanh, 0.5, 0.46211715726)] [InlineData(Activation.Softplus, 0, 0.69314718056)]
    [InlineData(Activation.Elu, -1, -0.63212055883)] [InlineData(Activation.Elu, 3, 3)]
    public void Apply_KnownValues(Activation a, double x, double expected) =>
        Assert.Equal(expected, a.Apply(Var.Const((float)x)).ToScalar(), 1e-6);

    [Fact]
    public void DefaultInit_KaimingForRectifiers()
    {
        Assert.Equal(InitScheme.Kaiming, Activation.Relu.DefaultInit());
        Assert.Equal(InitScheme.Kaiming, Activation.Elu.DefaultInit());
        Assert.Equal(InitScheme.Xavier, Activation.Tanh.DefaultInit());
        Assert.Equal(InitScheme.Xavier, Activation.Softplus.DefaultInit());
    }
}
