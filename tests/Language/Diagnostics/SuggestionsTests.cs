using Ppl.Language.Diagnostics;

namespace Ppl.Language.Tests.Diagnostics;

public class SuggestionsTests
{
    [Theory]
    [InlineData("Bernouli", "Bernoulli")]
    [InlineData("Nromal", "Normal")]
    [InlineData("normal", "Normal")]
    [InlineData("muu", "mu")]
    public void Closest_Misspelling_SuggestsIntendedName(string name, string expected) =>
        Assert.Equal(expected, Suggestions.Closest(name, ["Normal", "Bernoulli", "Beta", "mu", "sigma"]));

    [Fact]
    public void Closest_UnrelatedName_SuggestsNothing() => Assert.Null(Suggestions.Closest("zebra", ["Normal", "mu"]));

    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "acb", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Distance_Pairs_MatchHandComputedValues(string a, string b, int expected) => Assert.Equal(expected, Suggestions.Distance(a, b));
}
