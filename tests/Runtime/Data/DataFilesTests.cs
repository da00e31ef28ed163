using System.Buffers.Binary;
using System.IO.Compression;
using Ppl.Runtime.Data;

namespace Ppl.Runtime.Tests.Data;

public sealed class DataFilesTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-data-").FullName;
    public void Dispose() => Directory.Delete(dir, true);

    string Write(string name, string text)
    {
        var p = Path.Combine(dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void Json_CmdStanStyle_ReadsScalarsArraysAndMatrices()
    {
        var d = DataFiles.Read(Write("d.json", """{"J": 3, "y": [28, 8, -3], "sigma": [15.0, 10, 16], "m": [[1, 2], [3, 4], [5, 6]], "b": "inf"}"""));
        Assert.Equal(3, d.Int("J"));
        Assert.Equal(new float[] { 28, 8, -3 }, d.Reals("y", [3]).ToArray());
        Assert.Equal([3, 2], d.ShapeOf("m"));
        Assert.Equal(6, d.Ints("m", [3, 2])[2, 1]);
        Assert.Equal([], d.ShapeOf("b"));
    }

    [Fact]
    public void Json_Ragged_ReportsItem()
    {
        var e = Assert.Throws<DataFileException>(() => DataFiles.Read(Write("r.json", """{"m": [[1, 2], [3]]}""")));
        Assert.Contains("'m'", e.Message);
    }

    [Fact]
    public void Json_Syntax_ReportsLineAndColumn()
    {
        var e = Assert.Throws<DataFileException>(() => DataFiles.Read(Write("s.json", "{\n  \"a\": 1,\n  \"b\": ]\n}")));
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Csv_ColumnsBecomeVectors()
    {
        var d = DataFiles.Read(Write("d.csv", "x,count\n1.5,3\n-2,4\n"));
        Assert.Equal(new float[] { 1.5f, -2 }, d.Reals("x", [2]).ToArray());
        Assert.Equal([3, 4], d.Ints("count", [2]).Data);
    }

    [Fact]
    public void Csv_BadField_NamesLineAndColumn()
    {
        var e = Assert.Throws<DataFileException>(() => DataFiles.Read(Write("b.csv", "x,y\n1,2\n3,abc\n")));
        Assert.Equal(3, e.Line);
        Assert.Equal(3, e.Column);
    }

    [Fact]
    public void Idx_Gzipped_ReadsShapeAndValues()
    {
        var p = Path.Combine(dir, "imgs-idx3-ubyte.gz");
        using (var f = File.Create(p))
        using (var gz = new GZipStream(f, CompressionLevel.Fastest))
        {
            gz.Write([0, 0, 0x08, 3]);
            Span<byte> b = stackalloc byte[4];
            foreach (int n in new[] { 2, 2, 3 }) { BinaryPrimitives.WriteInt32BigEndian(b, n); gz.Write(b); }
            gz.Write(Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray());
        }
        var d = new DataSet();
        DataFiles.Bind($"x={p}", d);
        Assert.Equal([2, 2, 3], d.ShapeOf("x"));
        var flat = d.Reals("x", [2, 6], 0, 255);
        Assert.Equal(220, flat[1, 5]);
    }

    [Fact]
    public void DataSet_OutOfBounds_NamesItemAndElement()
    {
        var d = DataFiles.Read(Write("o.json", """{"sigma": [1, -2]}"""));
        var e = Assert.Throws<DataException>(() => d.Reals("sigma", [2], lower: 0));
        Assert.Contains("sigma", e.Message);
        Assert.Contains("[1]", e.Message);
    }

    [Fact]
    public void DataSet_AnEventOutsideItsConstraint_NamesItemEventAndConstraint()
    {
        var d = DataFiles.Read(Write("c.json", """{"c": [[1, 2, 3], [1, 0.5, 3]], "w": [0.2, 0.8]}"""));
        var c = d.Reals("c", [2, 3]);
        var e = Assert.Throws<DataException>(() => d.Constrained("c", c, Ppl.Runtime.Distributions.Constraints.Constraint.Ordered));
        Assert.Contains("data 'c'[1] = (1, 0.5, 3) is not ordered", e.Message);
        var w = d.Reals("w", [2]);
        Assert.Same(w, d.Constrained("w", w, Ppl.Runtime.Distributions.Constraints.Constraint.Simplex));
    }

    [Fact]
    public void DataSet_WrongShape_Throws()
    {
        var d = DataFiles.Read(Write("w.json", """{"y": [1, 2, 3]}"""));
        Assert.Throws<DataException>(() => d.Reals("y", [4]));
    }
}
