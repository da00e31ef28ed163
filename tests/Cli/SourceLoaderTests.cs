namespace Ppl.Cli.Tests;

public sealed class SourceLoaderTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-load-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Load_ExistingFile_ReturnsItsTextAndWritesNothing()
    {
        string path = Path.Combine(dir, "m.ppl");
        File.WriteAllText(path, "model M {\n}\n");
        var stderr = new StringWriter();
        var file = SourceLoader.Load(path, stderr);
        Assert.Equal("model M {\n}\n", file!.Text);
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void Load_MissingFile_ReturnsNullWithALocatedMessage()
    {
        string path = Path.Combine(dir, "nope", "m.ppl");
        var stderr = new StringWriter();
        Assert.Null(SourceLoader.Load(path, stderr));
        Assert.Equal($"{path}: error: cannot read the model file: no such file", stderr.ToString().TrimEnd());
    }
}
