using Ppl.Runtime.Params;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Params;

public sealed class ParamStoreFileTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ppl-paramstore-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>Values chosen to break a lossy writer: shortest-form edge cases, extremes, subnormals, signed zero, non-finite.</summary>
    static readonly float[] Awkward =
    [
        1f / 3, 0.1f, -0f, 0f, float.Epsilon, -float.Epsilon * 3, 1.17549435e-38f, float.MaxValue, float.MinValue,
        16777217f, 3.4028233e38f, 1e-45f, 123456.789f, MathF.PI, -MathF.E, float.PositiveInfinity, float.NegativeInfinity,
    ];

    static ParamStore Populated()
    {
        var store = new ParamStore(seed: 4);
        store.Get("mu", () => Tensor.FromArray(Awkward, Awkward.Length), Constraint.Real, null);
        store.Get("tau", () => Tensor.Vector(0.5f, 2f, 1e-20f), Constraint.Positive, null);
        store.Get("p", () => Tensor.Vector(0.2f, 0.3f, 0.5f), Constraint.Simplex, null);
        store.Get("rho", () => Tensor.Scalar(0.25f), Constraint.Between(-1, 1), null);
        store.GetModule("decoder", rng => new Mlp([3, 4, 2], Activation.Tanh, rng), null);
        store.GetModule("flow", rng => Iaf.Stack(2, 2, 5, rng), null);
        return store;
    }

    static void AssertBitIdentical(ParamStore expected, ParamStore actual)
    {
        Assert.Equal(expected.Entries.Select(e => e.Name), actual.Entries.Select(e => e.Name));
        foreach (var e in expected.Entries)
        {
            var a = actual[e.Name];
            Assert.Equal(e.Constraint.Name, a.Constraint.Name);
            Assert.Equal(e.Unconstrained.Shape, a.Unconstrained.Shape);
            var x = e.Unconstrained.Value.Span; var y = a.Unconstrained.Value.Span;
            for (int i = 0; i < x.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(x[i]) == BitConverter.SingleToInt32Bits(y[i]), $"{e.Name}[{i}]: {x[i]:R} became {y[i]:R}");
        }
    }

    /// <summary>A store that has run the same model: same parameters, different values (another seed, other inits).</summary>
    static ParamStore Rerun()
    {
        var store = new ParamStore(seed: 77);
        store.Get("mu", () => Tensor.Zeros(Awkward.Length), Constraint.Real, null);
        store.Get("tau", () => Tensor.Vector(1f, 1f, 1f), Constraint.Positive, null);
        store.Get("p", () => Tensor.Vector(0.6f, 0.2f, 0.2f), Constraint.Simplex, null);
        store.Get("rho", () => Tensor.Scalar(0f), Constraint.Between(-1, 1), null);
        store.GetModule("decoder", rng => new Mlp([3, 4, 2], Activation.Tanh, rng), null);
        store.GetModule("flow", rng => Iaf.Stack(2, 2, 5, rng), null);
        return store;
    }

    [Theory]
    [InlineData("params.json")] [InlineData("params.bin")]
    public void SaveThenLoad_IntoExistingParameters_IsBitExact(string file)
    {
        var store = Populated();
        var path = Path.Combine(dir, file);
        ParamStoreFile.Save(store, path);
        var loaded = Rerun();
        ParamStoreFile.Load(loaded, path);
        AssertBitIdentical(store, loaded);
    }

    [Theory]
    [InlineData("params.json")] [InlineData("params.bin")]
    public void Load_BeforeTheModelRuns_ParametersAreCreatedFromTheFile(string file)
    {
        var store = Populated();
        var path = Path.Combine(dir, file);
        ParamStoreFile.Save(store, path);
        var fresh = new ParamStore(seed: 123);
        ParamStoreFile.Load(fresh, path);
        Assert.Equal(0, fresh.Count);
        Assert.Equal(store.Count, fresh.UnclaimedRestores.Count());
        // Same calls as Rerun(): every initializer and every fresh net weight is replaced by the saved value.
        fresh.Get("mu", () => Tensor.Zeros(Awkward.Length), Constraint.Real, null);
        fresh.Get("tau", () => Tensor.Vector(1f, 1f, 1f), Constraint.Positive, null);
        fresh.Get("p", () => Tensor.Vector(0.6f, 0.2f, 0.2f), Constraint.Simplex, null);
        fresh.Get("rho", () => Tensor.Scalar(0f), Constraint.Between(-1, 1), null);
        fresh.GetModule("decoder", rng => new Mlp([3, 4, 2], Activation.Tanh, rng), null);
        fresh.GetModule("flow", rng => Iaf.Stack(2, 2, 5, rng), null);
        AssertBitIdentical(store, fresh);
        Assert.Empty(fresh.UnclaimedRestores);
    }

    [Fact]
    public void Json_IsReadableWithConstrainedValues()
    {
        var store = new ParamStore();
        store.Get("tau", () => Tensor.Vector(0.5f, 2f), Constraint.Positive, null);
        store.Get("mu", () => Tensor.Vector(0.1f), Constraint.Real, null);
        var path = Path.Combine(dir, "p.json");
        ParamStoreFile.SaveJson(store, path);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var tau = doc.RootElement.GetProperty("parameters").GetProperty("tau");
        Assert.Equal("positive", tau.GetProperty("constraint").GetString());
        Assert.Equal(0.5f, tau.GetProperty("value")[0].GetSingle(), 1e-6);
        Assert.Equal(MathF.Log(2f), tau.GetProperty("unconstrained")[1].GetSingle(), 1e-6);
        var mu = doc.RootElement.GetProperty("parameters").GetProperty("mu");
        Assert.False(mu.TryGetProperty("unconstrained", out _));
        Assert.Equal("0.1", mu.GetProperty("value")[0].GetRawText());
    }

    [Fact]
    public void Json_NaN_ComesBackAsNaN()
    {
        var store = new ParamStore();
        store.Get("x", () => Tensor.Vector(float.NaN, 1f), Constraint.Real, null);
        var path = Path.Combine(dir, "nan.json");
        ParamStoreFile.Save(store, path);
        var saved = ParamStoreFile.Read(path).Single();
        Assert.True(float.IsNaN(saved.Unconstrained[0]));
        Assert.Equal(1f, saved.Unconstrained[1]);
    }

    [Fact]
    public void Binary_NaNPayload_IsKeptBitExactly()
    {
        float payload = BitConverter.Int32BitsToSingle(0x7FC0_1234);
        var store = new ParamStore();
        store.Get("x", () => Tensor.Vector(payload), Constraint.Real, null);
        var path = Path.Combine(dir, "nan.bin");
        ParamStoreFile.Save(store, path);
        Assert.Equal(0x7FC0_1234, BitConverter.SingleToInt32Bits(ParamStoreFile.Read(path).Single().Unconstrained[0]));
    }

    [Fact]
    public void Binary_Truncated_ThrowsInvalidData()
    {
        var path = Path.Combine(dir, "p.bin");
        ParamStoreFile.Save(Populated(), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 9)]);
        Assert.Throws<InvalidDataException>(() => ParamStoreFile.Read(path));
    }

    [Fact]
    public void Json_NotAParameterFile_ThrowsInvalidData()
    {
        var path = Path.Combine(dir, "x.json");
        Directory.CreateDirectory(dir);
        File.WriteAllText(path, "{\"J\": 8}");
        Assert.Throws<InvalidDataException>(() => ParamStoreFile.Read(path));
    }

    [Fact]
    public void Load_ConstraintMismatch_ThrowsNamingTheParameter()
    {
        var store = new ParamStore();
        store.Get("tau", () => Tensor.Vector(0.5f), Constraint.Positive, null);
        var path = Path.Combine(dir, "p.json");
        ParamStoreFile.Save(store, path);
        var other = new ParamStore();
        other.Get("tau", () => Tensor.Vector(0.5f), Constraint.Real, null);
        var e = Assert.Throws<InvalidDataException>(() => ParamStoreFile.Load(other, path));
        Assert.Contains("tau", e.Message);
    }

    [Fact]
    public void Load_ShapeMismatchForNet_Throws()
    {
        var store = new ParamStore();
        store.GetModule("net", rng => new Mlp([2, 3, 1], Activation.Relu, rng), null);
        var path = Path.Combine(dir, "p.bin");
        ParamStoreFile.Save(store, path);
        var other = new ParamStore();
        ParamStoreFile.Load(other, path);
        Assert.Throws<InvalidDataException>(() => other.GetModule("net", rng => new Mlp([2, 5, 1], Activation.Relu, rng), null));
    }

    [Fact]
    public void Load_ShapeMismatchForPendingParameter_ThrowsWhenCreated()
    {
        var path = Path.Combine(dir, "p.json");
        ParamStoreFile.Save(Populated(), path);
        var other = new ParamStore();
        ParamStoreFile.Load(other, path);
        var e = Assert.Throws<InvalidDataException>(() => other.Get("p", () => Tensor.Vector(0.5f, 0.5f), Constraint.Simplex, null));
        Assert.Contains("'p'", e.Message);
    }

    [Fact]
    public void Save_Overwrites_AndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(dir, "params.json");
        ParamStoreFile.Save(Populated(), path);
        var small = new ParamStore();
        small.Get("only", () => Tensor.Vector(1f), Constraint.Real, null);
        ParamStoreFile.Save(small, path);
        Assert.Equal(["only"], ParamStoreFile.Read(path).Select(p => p.Name));
        Assert.Equal(["params.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }
}
