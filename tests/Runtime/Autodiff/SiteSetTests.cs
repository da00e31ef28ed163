using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Tests.Autodiff;

public class SiteSetTests
{
    [Fact]
    public void Union_DisjointSets_MergesSorted()
    {
        var u = SiteSet.Union(SiteSet.Union(SiteSet.Of("z"), SiteSet.Of("a")), SiteSet.Of("m"))!;
        Assert.Equal(["a", "m", "z"], u.Names);
        Assert.True(u.Contains("m"));
        Assert.False(u.Contains("b"));
    }

    [Fact]
    public void Union_WithNullOrSubset_ReturnsTheLargerOperand()
    {
        var a = SiteSet.Union(SiteSet.Of("a"), SiteSet.Of("b"))!;
        Assert.Same(a, SiteSet.Union(a, null));
        Assert.Same(a, SiteSet.Union(null, a));
        Assert.Same(a, SiteSet.Union(a, SiteSet.Of("b")));
        Assert.Null(SiteSet.Union(null, null));
    }
}
