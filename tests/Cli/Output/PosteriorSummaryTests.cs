using Ppl.Cli.Output;

namespace Ppl.Cli.Tests.Output;

public sealed class PosteriorSummaryTests
{
    [Fact]
    public void Quantile_Type7_MatchesRsDefault()
    {
        // R: quantile(1:10, c(.05, .5, .95)) = 1.45, 5.5, 9.55
        double[] xs = [.. Enumerable.Range(1, 10).Select(i => (double)i)];
        Assert.Equal(1.45, PosteriorSummary.Quantile(xs, 0.05), 12);
        Assert.Equal(5.5, PosteriorSummary.Quantile(xs, 0.5), 12);
        Assert.Equal(9.55, PosteriorSummary.Quantile(xs, 0.95), 12);
    }

    [Fact]
    public void Of_NormalDraws_MeansAndSdsWithinMonteCarloError()
    {
        var table = SampleFit.Table(SampleFit.EightSchools, 4000);
        var rows = PosteriorSummary.Of(table);
        Assert.Equal(18, rows.Count);
        Assert.Equal(["mu", "tau", "theta_raw[0]"], rows.Take(3).Select(r => r.Name));
        Assert.Equal("theta[7]", rows[^1].Name);
        for (int c = 0; c < rows.Count; c++)
        {
            double sd = 1 + c / 10.0;
            // The mean's Monte Carlo standard error is sd/√4000 ≈ 0.016·sd: 5 of them; the sd's is about sd/√(2·4000).
            Assert.InRange(rows[c].Mean, c - 5 * sd / Math.Sqrt(4000), c + 5 * sd / Math.Sqrt(4000));
            Assert.InRange(rows[c].Sd, sd * (1 - 5 / Math.Sqrt(8000)), sd * (1 + 5 / Math.Sqrt(8000)));
            Assert.True(rows[c].Q5 < rows[c].Q50 && rows[c].Q50 < rows[c].Q95);
        }
    }

    [Fact]
    public void SummaryCsv_HeaderAndZeroBasedNames()
    {
        var w = new StringWriter();
        SummaryCsvWriter.Write(PosteriorSummary.Of(SampleFit.Table([new("W", [2, 2])], 10)), w);
        var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("name,mean,sd,q5,q50,q95", lines[0]);
        Assert.Equal(["\"W[0,0]\"", "\"W[0,1]\"", "\"W[1,0]\"", "\"W[1,1]\""], lines.Skip(1).Select(l => l[..l.IndexOf(']')] + "]\""));
        Assert.All(lines.Skip(1), l => Assert.Equal(5, l[(l.IndexOf("\",", StringComparison.Ordinal) + 2)..].Split(',').Length));
    }
}
