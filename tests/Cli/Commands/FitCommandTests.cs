using System.Buffers.Binary;
using System.IO.Compression;

namespace Ppl.Cli.Tests.Commands;

/// <summary>A model compiled once for the class (its cache lives beside it), shared by the tests that feed it data.</summary>
public sealed class FitModelFixture : IDisposable
{
    /// <summary>The folder holding <c>m.ppl</c> and its compile cache.</summary>
    public string Dir { get; } = Directory.CreateTempSubdirectory("ppl-fit-").FullName;

    /// <summary>The model file.</summary>
    public string Model => Path.Combine(Dir, "m.ppl");

    public FitModelFixture() => File.WriteAllText(Model, """
        model M {
          data N: int
          data y: real[N]
          data sigma: real<lower=0>[N]
          data k: int<lower=0>[N]
          mu ~ Normal(0, 5)
          y ~ Normal(mu, sigma)
          k ~ Poisson(exp(mu))
        }
        guide G for M {
          param m: real = 0
          mu ~ Normal(m, 1)
        }
        """);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

/// <summary>
/// <c>ppl fit</c> on data: every data case of issue 10 is caught with its message before the first step, and good
/// data fits (a few steps, so the tests stay fast).
/// </summary>
public sealed class FitCommandTests(FitModelFixture fixture) : IClassFixture<FitModelFixture>, IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-fitdata-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    const string Good = """{"N": 4, "y": [1, 2, 3, 4], "sigma": [1, 1, 1, 2], "k": [1, 2, 3, 4]}""";

    string Write(string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    (int Exit, string Out, string Err) Fit(params string[] args) => Cli.Run(["fit", fixture.Model, "--quiet", "--steps", "20", "--draws", "10", "--out", Path.Combine(dir, "out"), .. args]);

    static void AssertUserError((int Exit, string Out, string Err) r, string message)
    {
        Assert.True(r.Exit == Program.UserError, r.Err);
        Assert.Contains(message, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Fit_ValidData_ChecksEverythingThenFits()
    {
        var (exit, _, stderr) = Fit("--data", Write("d.json", Good));
        Assert.True(exit == Program.Ok, stderr);
        Assert.DoesNotContain("warning", stderr);
    }

    [Fact]
    public void Fit_DistributedWithoutMpi_SaysWhatToInstall()
    {
        var saved = Environment.GetEnvironmentVariable("PPL_MPI_LIBRARY");
        Environment.SetEnvironmentVariable("PPL_MPI_LIBRARY", "/nonexistent/libmpich.so.12");
        try { AssertUserError(Fit("--data", Write("d.json", Good), "--distributed"), "--distributed needs an MPICH-ABI MPI library and none was found"); }
        finally { Environment.SetEnvironmentVariable("PPL_MPI_LIBRARY", saved); }
    }

    [Fact]
    public void Fit_ValueBelowBound_NamesItemIndexAndRule() =>
        AssertUserError(Fit("--data", Write("d.json", Good.Replace("[1, 1, 1, 2]", "[1, 1, 1, -1]"))), "d.json: data 'sigma'[3] = -1 is below its lower bound 0");

    [Fact]
    public void Fit_NaNInData_IsAnError() =>
        AssertUserError(Fit("--data", Write("d.json", Good.Replace("[1, 2, 3, 4], \"sigma\"", "[1, \"NaN\", 3, 4], \"sigma\""))), "data 'y'[1] is NaN");

    [Fact]
    public void Fit_InfinityInData_IsAnError() =>
        AssertUserError(Fit("--data", Write("d.json", Good.Replace("[1, 2, 3, 4], \"sigma\"", "[1, 2, \"-inf\", 4], \"sigma\""))), "data 'y'[2] = -inf is not finite");

    [Fact]
    public void Fit_FractionalInt_IsAnError() =>
        AssertUserError(Fit("--data", Write("d.json", Good.Replace("\"k\": [1, 2, 3, 4]", "\"k\": [1, 2.5, 3, 4]"))), "data 'k'[1] = 2.5 is not an integer");

    [Fact]
    public void Fit_FractionalIntScalar_IsAnError() =>
        AssertUserError(Fit("--data", Write("d.json", Good.Replace("\"N\": 4", "\"N\": 4.5"))), "data 'N' = 4.5 is not an integer");

    [Fact]
    public void Fit_ShapeMismatch_NamesBothShapes() =>
        AssertUserError(Fit("--data", Write("d.json", Good.Replace("[1, 1, 1, 2]", "[1, 1, 2]"))), "data 'sigma' has shape [3], the model declares [4]");

    [Fact]
    public void Fit_MissingItem_NamesIt() =>
        AssertUserError(Fit("--data", Write("d.json", """{"N": 4, "y": [1, 2, 3, 4], "k": [1, 2, 3, 4]}""")), "data 'sigma' is missing");

    [Fact]
    public void Fit_UndeclaredItem_IsOnlyAWarning()
    {
        var (exit, _, stderr) = Fit("--data", Write("d.json", Good.Replace("{", """{"extra": [1, 2], """)));
        Assert.True(exit == Program.Ok, stderr);
        Assert.Contains("d.json: warning: data 'extra' is not declared by model M", stderr);
    }

    [Fact]
    public void Fit_MissingDataFile_IsAUserError() =>
        AssertUserError(Fit("--data", Path.Combine(dir, "nope.json")), "nope.json: no such file");

    [Fact]
    public void Fit_CsvColumns_BindByHeaderAndNameBindsOneItem()
    {
        string csv = Write("d.csv", "y,sigma,k\n1,1,1\n2,1,2\n3,1,3\n4,2,4\n");
        var (exit, _, stderr) = Fit("--data", csv, "--data", $"N={Write("n.json", """{"N": 4}""")}");
        Assert.True(exit == Program.Ok, stderr);
    }

    [Fact]
    public void Fit_CsvWrongLengthRow_NamesLine()
    {
        string csv = Write("d.csv", "y,sigma,k\n1,1,1\n2,1\n");
        AssertUserError(Fit("--data", csv), "d.csv:3:1: has 2 fields, the header has 3");
    }

    [Fact]
    public void Fit_CsvColumnShorterThanDeclared_IsAShapeError()
    {
        string csv = Write("d.csv", "y,sigma,k\n1,1,1\n2,1,2\n3,1,3\n");
        AssertUserError(Fit("--data", csv, "--data", $"N={Write("n.json", """{"N": 4}""")}"), "data 'y' has shape [3], the model declares [4]");
    }

    [Fact]
    public void Fit_CsvTextInNumericColumn_NamesLineColumnAndValue()
    {
        string csv = Write("d.csv", "y,sigma,k\n1,1,1\n2,abc,2\n");
        AssertUserError(Fit("--data", csv), "d.csv:3:3: column 'sigma': 'abc' is not a number");
    }

    static byte[] Idx(int[] shape, int values, bool truncate)
    {
        var bytes = new List<byte> { 0, 0, 0x08, (byte)shape.Length };
        var b = new byte[4];
        foreach (int n in shape) { BinaryPrimitives.WriteInt32BigEndian(b, n); bytes.AddRange(b); }
        bytes.AddRange(Enumerable.Range(0, truncate ? values - 3 : values).Select(i => (byte)i));
        return [.. bytes];
    }

    string WriteIdx(string name, byte[] bytes, bool gzip)
    {
        string path = Path.Combine(dir, name);
        if (!gzip) { File.WriteAllBytes(path, bytes); return path; }
        using var f = File.Create(path);
        using var gz = new GZipStream(f, CompressionLevel.Fastest);
        gz.Write(bytes);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_TruncatedIdx_IsAnError(bool gzip) =>
        AssertUserError(Fit("--data", $"y={WriteIdx(gzip ? "y-idx1-ubyte.gz" : "y-idx1-ubyte", Idx([4], 4, truncate: true), gzip)}"), "ends early (truncated IDX file)");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_WrongMagicIdx_IsAnError(bool gzip)
    {
        var bytes = Idx([4], 4, truncate: false);
        bytes[0] = 0x7b;
        AssertUserError(Fit("--data", $"y={WriteIdx(gzip ? "y-idx1-ubyte.gz" : "y-idx1-ubyte", bytes, gzip)}"), "is not an IDX file (bad magic number)");
    }

    [Fact]
    public void Fit_GoodIdx_BindsTheNamedItem()
    {
        string idx = WriteIdx("y-idx1-ubyte.gz", Idx([4], 4, truncate: false), gzip: true);
        var (exit, _, stderr) = Fit("--data", Write("d.json", Good), "--data", $"y={idx}");
        Assert.True(exit == Program.Ok, stderr);
    }

    [Fact]
    public void Fit_NoDataOption_ReadsTheDataFileBesideTheModel()
    {
        string model = Path.Combine(dir, "beside.ppl");
        File.Copy(fixture.Model, model);
        File.WriteAllText(Path.Combine(dir, "beside.data.json"), Good.Replace("[1, 1, 1, 2]", "[1, 1, 1, -1]"));
        AssertUserError(Cli.Run("fit", model), "beside.data.json: data 'sigma'[3] = -1 is below its lower bound 0");
        File.Delete(Path.Combine(dir, "beside.data.json"));
        AssertUserError(Cli.Run("fit", model), "beside.data.json does not exist");
    }

    [Fact]
    public void Fit_UnknownGuide_ListsTheChoices() =>
        AssertUserError(Fit("--data", Write("d.json", Good), "--guide", "fancy"), "no guide named 'fancy' for model M (choose one of normal, mvn, lowrank, delta, iaf, planar, G)");

    [Fact]
    public void Fit_UnknownModel_ListsTheModels() =>
        AssertUserError(Fit("--data", Write("d.json", Good), "--model", "Q"), "no model named 'Q' (the file has M)");

    [Fact]
    public void Fit_ResumeWithoutParams_IsAUserError() =>
        AssertUserError(Fit("--data", Write("d.json", Good), "--resume", dir), "no params.json there");

    [Fact]
    public void Fit_MissingModelFile_IsAUserError() =>
        AssertUserError(Cli.Run("fit", Path.Combine(dir, "none.ppl")), "no such file");

    [Fact]
    public void Fit_CompiledAssembly_ChecksDataLikeTheSource()
    {
        string dll = Path.Combine(dir, "m.dll");
        Assert.Equal(Program.Ok, Cli.Run("compile", fixture.Model, "-o", dll).Exit);
        var both = Cli.Run("fit", dll, "--quiet", "--data", Write("d.json", Good));
        Assert.True(both.Exit == Program.UserError, both.Err);
        Assert.Contains("the assembly holds G, M; choose the model with --model", both.Err);
        var (exit, _, stderr) = Cli.Run("fit", dll, "--model", "M", "--quiet", "--steps", "20", "--draws", "10", "--out", Path.Combine(dir, "out"), "--data", Write("d.json", Good));
        Assert.True(exit == Program.Ok, stderr);
        Assert.Contains("\"guide\": \"G\"", File.ReadAllText(Path.Combine(dir, "out", "fit.json"))); // the [GuideFor] pairing
        AssertUserError(Cli.Run("fit", dll, "--model", "M", "--data", Write("e.json", Good.Replace("[1, 1, 1, 2]", "[1, 1, 1, -1]"))), "data 'sigma'[3] = -1 is below its lower bound 0");
    }

    [Theory]
    [InlineData("sample")]
    [InlineData("eval")]
    public void SampleAndEval_MissingParams_AreUserErrors(string command)
    {
        var (exit, _, stderr) = Cli.Run(command, fixture.Model, "--data", Write("d.json", Good), "--params", Path.Combine(dir, "none", "params.json"));
        Assert.Equal(Program.UserError, exit);
        Assert.Contains("no such parameter file", stderr);
    }

    [Theory]
    [InlineData("sample")]
    [InlineData("eval")]
    public void SampleAndEval_WithoutParams_AreUsageErrors(string command) =>
        Assert.Equal(Program.Usage, Cli.Run(command, fixture.Model).Exit);

    [Fact]
    public void Eval_BadData_IsCheckedBeforeTheParameters() =>
        AssertUserError(Cli.Run("eval", fixture.Model, "--data", Write("d.json", Good.Replace("[1, 1, 1, 2]", "[1, 1, 1, -1]")), "--params", Path.Combine(dir, "p.json")), "data 'sigma'[3] = -1");
}
