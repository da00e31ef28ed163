using Ppl.Runtime.Random;

namespace Ppl.Runtime.Tests.Random;

public class RngStateTests
{
    [Fact]
    public void ImportState_OfAnExport_ContinuesBothStreamsIdentically()
    {
        var a = new Rng(42);
        var buf = new float[40];
        a.FillNormal(buf);   // seeds and advances the wide stream
        a.NextDouble();
        var saved = a.ExportState();
        var b = new Rng(7);
        b.ImportState(saved);
        var fa = new float[40]; var fb = new float[40];
        a.FillNormal(fa); b.FillNormal(fb);
        Assert.Equal(fa, fb);
        Assert.Equal(a.NextULong(), b.NextULong());
    }

    [Fact]
    public void ImportState_BeforeTheWideStreamIsSeeded_SeedsItTheSameWay()
    {
        var a = new Rng(3);
        var b = new Rng(99);
        b.ImportState(a.ExportState());
        var fa = new float[9]; var fb = new float[9];
        a.FillUniform(fa); b.FillUniform(fb);
        Assert.Equal(fa, fb);
    }

    [Fact]
    public void ImportState_WrongLengthOrZero_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Rng(1).ImportState(new ulong[3]));
        Assert.Throws<ArgumentException>(() => new Rng(1).ImportState(new ulong[Rng.StateWords]));
    }
}
