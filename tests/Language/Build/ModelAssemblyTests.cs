using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Build;

public sealed class ModelAssemblyTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-asm-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void GuidesFor_WrittenGuide_IsPairedWithItsModelInTheCompiledAssembly()
    {
        var file = SourceFile.Load(Path.Combine(RepoRoot(), "examples", "coin", "coin.ppl"));
        var result = Compiler.Compile(file, new CompileOptions(Path.Combine(dir, "coin.g.cs"), Path.Combine(dir, "cache")));
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        using var asm = result.Assembly!;
        Assert.Equal(["CoinGuide"], asm.GuidesFor("Coin"));
        Assert.Empty(asm.GuidesFor("CoinGuide"));
        Assert.Equal("Coin", asm.ModelOf("CoinGuide"));
        Assert.Null(asm.ModelOf("Coin"));
    }

    static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "Ppl.sln"))) d = d.Parent;
        return d?.FullName ?? throw new DirectoryNotFoundException("Ppl.sln not found above the test binaries");
    }
}
