using System.Reflection;
using Ppl.Language.Semantics;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using RuntimeDistribution = Ppl.Runtime.Distributions.Distribution;

namespace Ppl.Language.Tests.Semantics;

/// <summary>The builtin table against the runtime it names: every signature constructs, and agrees on reparameterization.</summary>
public sealed class BuiltinsTests
{
    /// <summary>A valid argument for a parameter: events of size 2 (a vector, or a 2×2 matrix for rank 2).</summary>
    static Var Argument(ParamInfo p) => Var.Const(p.EventRank switch
    {
        0 => Tensor.Scalar(p.Domain switch { Domain.Real => 0.3f, Domain.Positive => 1.5f, Domain.UnitInterval => 0.4f, Domain.NonNegativeInt => 5f, _ => throw new ArgumentException(p.Domain.ToString()) }),
        1 => p.Domain is Domain.Real ? Tensor.Vector(0.3f, -0.2f) : Tensor.Vector(0.4f, 0.6f),
        2 => p.Domain is Domain.PositiveDefinite ? Tensor.FromArray([2f, 0.3f, 0.3f, 1f], 2, 2) : Tensor.FromArray([1.2f, 0f, 0.4f, 0.8f], 2, 2),
        _ => throw new ArgumentException($"event rank {p.EventRank}"),
    });

    /// <summary>The runtime distribution a signature builds, through its factory or constructor (optional trailing arguments left at their defaults).</summary>
    static RuntimeDistribution Construct(DistributionInfo info, Signature sig)
    {
        var type = typeof(RuntimeDistribution).Assembly.GetType(info.RuntimeClass["global::".Length..])
            ?? throw new InvalidOperationException($"{info.RuntimeClass} does not exist");
        MethodBase[] candidates = sig.Factory is { } f
            ? type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == f).ToArray()
            : type.GetConstructors();
        var method = candidates.Single(m =>
        {
            var ps = m.GetParameters();
            return ps.Length >= sig.Params.Count && ps.Take(sig.Params.Count).All(q => q.ParameterType == typeof(Var)) && ps.Skip(sig.Params.Count).All(q => q.IsOptional);
        });
        var args = sig.Params.Select(Argument).Cast<object?>()
            .Concat(Enumerable.Repeat(Type.Missing, method.GetParameters().Length - sig.Params.Count)).ToArray();
        return (RuntimeDistribution)(method is ConstructorInfo c ? c.Invoke(args) : method.Invoke(null, args)!);
    }

    public static TheoryData<string, int> Signatures()
    {
        var data = new TheoryData<string, int>();
        foreach (var d in Builtins.Distributions.Values)
            for (int k = 0; k < d.Signatures.Count; k++) data.Add(d.Name, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Signatures))]
    public void Distribution_BuiltFromItsSignature_HasRSampleEqualsReparameterizedFlag(string name, int signature)
    {
        var info = Builtins.Distributions[name];
        var dist = Construct(info, info.Signatures[signature]);
        Assert.Equal(info.Reparameterized, dist.HasRSample);
        Assert.Equal(info.EventRank, dist.EventShape.Length);
    }
}
