using Ppl.Language.Build;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Build;

/// <summary>The source-keyed index a repeated run loads instead of parsing, checking and emitting the file again.</summary>
public sealed class SourceCacheTests : IDisposable
{
    const string Source = """
        model M {
          data N: int
          data y: real[N]
          mu ~ Normal(0, 1)
          y ~ Normal(mu, 1)
        }
        model Other {
          z ~ Normal(0, 1)
        }
        guide G for M {
          param m: real = 0
          mu ~ Normal(m, 1)
        }
        guide H for Other {
          net f = Mlp(1, 2, 1) activation: relu
          z ~ Normal(0, 1)
        }
        """;

    readonly string dir = Directory.CreateTempSubdirectory("ppl-sourcecache-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    CompileOptions Options => new(Path.Combine(dir, "obj", "m.g.cs"), Path.Combine(dir, "cache"));

    SourceFile File(string text = Source) => new(Path.Combine(dir, "m.ppl"), text);

    void Compile(SourceFile file)
    {
        var result = Compiler.Compile(file, Options);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics.Select(d => d.Message)));
        result.Assembly!.Dispose();
    }

    [Fact]
    public void FromCache_AfterACompile_LoadsTheCachedAssemblyAndTheOutline()
    {
        Compile(File());
        var hit = Compiler.FromCache(File(), Options);
        Assert.NotNull(hit);
        using var assembly = hit.Assembly;
        Assert.True(assembly.FromCache);
        Assert.Equal(["G", "H", "M", "Other"], assembly.Names.Order(StringComparer.Ordinal));
        Assert.Equal(["M", "Other"], hit.Outline.Models.Select(m => m.Name));
        Assert.Equal(["N", "y"], hit.Outline.FindModel(null)!.Data);
        Assert.Equal(["G"], hit.Outline.GuidesFor("M"));
        Assert.Equal(["H"], hit.Outline.GuidesFor("Other"));
        Assert.False(hit.Outline.DeclaresNet("M"));
        Assert.True(hit.Outline.DeclaresNet("Other"));
    }

    [Fact]
    public void FromCache_BeforeAnyCompile_Misses() => Assert.Null(Compiler.FromCache(File(), Options));

    [Fact]
    public void FromCache_EditedSource_MissesAndTheOldIndexIsReplaced()
    {
        Compile(File());
        var edited = File(Source.Replace("Normal(0, 1)\n  y", "Normal(0, 2)\n  y"));
        Assert.Null(Compiler.FromCache(edited, Options));
        Compile(edited);
        Assert.NotNull(Compiler.FromCache(edited, Options));
        Assert.Single(Directory.GetFiles(Options.CacheDirectory, "Ppl.Source.*"));
    }

    [Fact]
    public void FromCache_SameTextUnderAnotherPath_Misses()
    {
        // The generated code names the file as given (#line, site locations), so the path is part of the key.
        Compile(File());
        Assert.Null(Compiler.FromCache(new SourceFile("m.ppl", Source), Options));
    }

    [Fact]
    public void FromCache_AssemblyDeletedOrIndexTorn_Misses()
    {
        Compile(File());
        string index = Assert.Single(Directory.GetFiles(Options.CacheDirectory, "Ppl.Source.*"));
        System.IO.File.WriteAllText(index, "{\"assembly\": ");
        Assert.Null(Compiler.FromCache(File(), Options));
        System.IO.File.Delete(index);
        Compile(File());
        foreach (var dll in Directory.GetFiles(Options.CacheDirectory, "*.dll")) System.IO.File.Delete(dll);
        Assert.Null(Compiler.FromCache(File(), Options));
    }
}
