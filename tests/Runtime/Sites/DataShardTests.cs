using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;

namespace Ppl.Runtime.Tests.Sites;

public class DataShardTests
{
    static readonly SiteLocation At = new("shard.ppl", 1, 1);

    [Theory]
    [InlineData(128, 2)]
    [InlineData(10, 3)]
    [InlineData(7, 7)]
    public void Slice_OverAllRanks_PartitionsTheMinibatchInOrder(int m, int k)
    {
        int next = 0;
        for (int r = 0; r < k; r++)
        {
            var (start, end) = new DataShard(r, k).Slice(m);
            Assert.Equal(next, start);
            Assert.InRange(end - start, m / k, m / k + 1);
            next = end;
        }
        Assert.Equal(m, next);
    }

    /// <summary>
    /// Opens plate n in 100 subsample 10 on rank <paramref name="rank"/> of <paramref name="k"/> (null: no shard), draws
    /// inside it when <paramref name="drawInside"/>, and reports what it saw and the shared stream's next word after it.
    /// </summary>
    static (int[] Indices, float Scale, double Inside, ulong After) Open(int? rank, int k, bool drawInside = true, ulong seed = 3)
    {
        var ctx = new ModelContext(new Rng(seed)) { Shard = rank is { } r ? new DataShard(r, k) : null };
        int[] indices;
        float scale;
        double inside = double.NaN;
        using (var plate = ctx.Plate("n", 100, 10, At))
        {
            indices = plate.Indices.Data.ToArray();
            scale = plate.Frame.Scale;
            if (drawInside) inside = ctx.Rng.Normal();
        }
        return (indices, scale, inside, ctx.Rng.NextULong());
    }

    [Fact]
    public void Plate_ShardedOverTwoRanks_EachKeepsItsHalfOfTheOneProcessMinibatch()
    {
        var one = Open(null, 1);
        var r0 = Open(0, 2);
        var r1 = Open(1, 2);
        Assert.Equal(one.Indices, r0.Indices.Concat(r1.Indices));
        Assert.Equal(5, r0.Indices.Length);
        // Each rank weighs its half as the whole minibatch (100/10 × 2 ranks); the average over ranks is 100/10 per element.
        Assert.Equal(20f, r0.Scale);
        Assert.Equal(20f, r1.Scale);
        Assert.Equal(10f, one.Scale);
    }

    [Fact]
    public void Plate_Sharded_DrawsInsideDifferByRankAndTheSharedStreamResumesAlike()
    {
        var r0 = Open(0, 2);
        var r1 = Open(1, 2);
        Assert.NotEqual(r0.Inside, r1.Inside);
        Assert.Equal(r0.After, r1.After);
    }

    [Fact]
    public void Plate_ShardedWithoutDrawsInside_SharedStreamResumesWhereOneProcessWould()
    {
        // A model whose latents are all global then draws, on every rank, what one process draws.
        var one = Open(null, 1, drawInside: false);
        Assert.Equal(one.After, Open(0, 2, drawInside: false).After);
        Assert.Equal(one.After, Open(1, 2, drawInside: false).After);
    }

    [Fact]
    public void Plate_ShardedWithDrawsInside_TheReplayingRunDoesNotRedrawTheGuidesNumbers()
    {
        // The guide draws inside its sharded plate; the model, on the same stream, replays the guide's minibatch (no
        // draw of indices) and draws inside its own sharded plate: it must not get the numbers the guide got.
        var rng = new Rng(3);
        var guide = new TraceHandler();
        var g = new ModelContext(rng) { Shard = new DataShard(0, 2) }.With(guide);
        double first, second;
        using (g.Plate("n", 100, 10, At)) first = rng.Normal();
        var m = new ModelContext(rng) { Shard = new DataShard(0, 2) }.With(new ReplayHandler(guide.Trace));
        using (var plate = m.Plate("n", 100, 10, At))
        {
            Assert.Equal(5, plate.Indices.Size);
            second = rng.Normal();
        }
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Plate_OneRank_IsThePlainOneProcessRun()
    {
        var plain = Open(null, 1);
        var one = Open(0, 1);
        Assert.Equal(plain.Indices, one.Indices);
        Assert.Equal((plain.Scale, plain.Inside, plain.After), (one.Scale, one.Inside, one.After));
    }

    [Fact]
    public void Plate_InsideAShardedPlate_IsNotShardedAgain()
    {
        var ctx = new ModelContext(new Rng(1)) { Shard = new DataShard(1, 2) };
        using var outer = ctx.Plate("n", 100, 10, At);
        using var inner = ctx.Plate("m", 50, 4, At);
        Assert.Equal(2, outer.Frame.Shards);
        Assert.Equal(1, inner.Frame.Shards);
        Assert.Equal(4, inner.Size);
        Assert.Equal(50f / 4, inner.Frame.Scale);
    }

    [Fact]
    public void Plate_SubsampleSmallerThanRanks_ThrowsNamingThePlate()
    {
        var ctx = new ModelContext(new Rng(1)) { Shard = new DataShard(0, 4) };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Plate("n", 100, 3, At));
        Assert.Contains("shard.ppl:1:1: plate 'n' subsample 3 is smaller than the 4 processes", e.Message);
    }
}
