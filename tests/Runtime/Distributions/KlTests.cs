using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;

namespace Ppl.Runtime.Tests.Distributions;

public class KlTests
{
    static Var V(params float[] v) => Var.Const(Tensor.Vector(v));
    static Var M(float[,] m) => Var.Const(Tensor.Matrix(m));

    /// <summary>
    /// Compares every batch element of KL(p ‖ q) with the Monte Carlo estimate (1/n) Σ [log p(xᵢ) − log q(xᵢ)], xᵢ ~ p.
    /// The estimate's SE is sd/√n from the same draws; 5 SE is a false alarm of 6·10⁻⁷ per element for a correct
    /// formula, while a wrong term (a missing −1, a swapped ratio) is off by O(1) ≫ 5 SE ≈ 0.01–0.05 here.
    /// </summary>
    static void CheckMonteCarlo(Distribution p, Distribution q, int n = 20_000, ulong seed = 1)
    {
        var kl = Kl.Divergence(p, q).Value;
        var x = Var.Const(p.Sample(new Rng(seed), [n]));
        var d = (p.LogProb(x) - q.LogProb(x)).Value;
        int m = d.Size / n;
        Assert.Equal(m, kl.Size);
        var col = new double[n];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < n; i++) col[i] = d.Span[i * m + j];
            var (mean, se) = GoodnessOfFit.MeanAndSe(col);
            float k = kl.Span[j];
            Assert.True(k >= -1e-6, $"element {j}: KL {k} is negative");
            Assert.True(Math.Abs(k - mean) <= 5 * se + 1e-5 * (1 + Math.Abs(mean)),
                $"{p.GetType().Name} ‖ {q.GetType().Name} element {j}: closed form {k}, Monte Carlo {mean} (SE {se:G3})");
        }
    }

    /// <summary>Exact check for finite supports: KL = Σₓ p(x)(log p(x) − log q(x)) over the enumerated support.</summary>
    static void CheckEnumerated(Distribution p, Distribution q)
    {
        var kl = Kl.Divergence(p, q).Value;
        var x = Var.Const(p.EnumerateSupport());
        var lp = p.LogProb(x).Value; var lq = q.LogProb(x).Value;
        int m = kl.Size, n = lp.Size / m;
        for (int j = 0; j < m; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                double a = lp.Span[i * m + j], b = lq.Span[i * m + j];
                if (a > double.NegativeInfinity) s += Math.Exp(a) * (a - b);
            }
            Assert.Equal(s, kl.Span[j], 1e-5 * (1 + Math.Abs(s)));
        }
    }

    [Fact] public void NormalNormal_MatchesMonteCarlo() => CheckMonteCarlo(new Normal(V(0f, 1f), V(1f, 0.5f)), new Normal(V(0.5f, -1f), V(2f, 0.4f)));

    [Fact]
    public void NormalNormal_NearlyEqual_KeepsRelativeAccuracy()
    {
        // KL ≈ 10⁻⁸ here; ½(r − 1 − log r) formed from float terms of size 1 would be pure rounding noise (≈ 6·10⁻⁸).
        float s1 = 1f, s2 = 1.0001f;
        double r = (double)s1 * s1 / ((double)s2 * s2);
        double expected = 0.5 * (r - 1 - Math.Log(r));
        double actual = Kl.Divergence(new Normal(0f, s1), new Normal(0f, s2)).ToScalar();
        Assert.Equal(expected, actual, expected * 1e-3);
    }

    [Fact] public void LogNormalLogNormal_MatchesMonteCarlo() => CheckMonteCarlo(new LogNormal(V(0f, 1f), V(0.5f, 0.3f)), new LogNormal(0.2f, 0.6f));

    [Fact] public void HalfNormalHalfNormal_MatchesMonteCarlo() => CheckMonteCarlo(new HalfNormal(V(1f, 0.3f)), new HalfNormal(V(2f, 0.25f)));

    [Fact]
    public void MvnMvn_MatchesMonteCarlo()
    {
        var p = new MultivariateNormal(V(0f, 1f, -1f), M(new float[,] { { 2f, 0.5f, 0f }, { 0.5f, 1f, 0.3f }, { 0f, 0.3f, 0.5f } }));
        var q = new MultivariateNormal(V(0.5f, 0f, -1.5f), M(new float[,] { { 1f, -0.2f, 0.1f }, { -0.2f, 1.5f, 0f }, { 0.1f, 0f, 1f } }));
        CheckMonteCarlo(p, q);
    }

    [Fact]
    public void MvnMvn_BatchedFactorsBroadcast_MatchOneByOne()
    {
        // p: one factor, two means (batch [2]); q: two factors [2, 1, K, K] (batch [2, 1]) → KL batch [2, 2].
        var lp = Ops.Cholesky(Var.Const(OpsCholeskyTests.Spd(11, 1, 3).Reshape(3, 3)));
        var lq = Ops.Cholesky(Var.Const(OpsCholeskyTests.Spd(12, 2, 3).Reshape(2, 1, 3, 3)));
        var mp = Var.Const(Tensor.FromArray([0f, 1f, 2f, -1f, 0f, 0.5f], 2, 3));
        var mq = V(0.3f, 0.3f, 0.3f);
        var kl = Kl.Divergence(MultivariateNormal.FromScaleTril(mp, lp), MultivariateNormal.FromScaleTril(mq, lq)).Value;
        Assert.Equal([2, 2], kl.Shape);
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
            {
                var lqa = Tensor.Zeros(3, 3);
                for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) lqa[r, c] = lq.Value[a, 0, r, c];
                var one = Kl.Divergence(
                    MultivariateNormal.FromScaleTril(V(mp.Value[b, 0], mp.Value[b, 1], mp.Value[b, 2]), lp),
                    MultivariateNormal.FromScaleTril(mq, Var.Const(lqa))).ToScalar();
                Assert.Equal(one, kl[a, b], 1e-4 * (1 + Math.Abs(one)));
            }
    }

    [Fact]
    public void MvnMvn_DiagonalEqualsSumOfNormals()
    {
        var p = MultivariateNormal.FromScaleTril(V(0f, 1f), M(new float[,] { { 0.5f, 0f }, { 0f, 2f } }));
        var q = MultivariateNormal.FromScaleTril(V(1f, -1f), M(new float[,] { { 1.5f, 0f }, { 0f, 0.7f } }));
        var sum = Ops.Sum(Kl.Divergence(new Normal(V(0f, 1f), V(0.5f, 2f)), new Normal(V(1f, -1f), V(1.5f, 0.7f)))).ToScalar();
        Assert.Equal(sum, Kl.Divergence(p, q).ToScalar(), 1e-5);
    }

    [Fact] public void CauchyCauchy_MatchesMonteCarlo() => CheckMonteCarlo(new Cauchy(V(0f, 2f), V(1f, 0.5f)), new Cauchy(V(1f, 2f), V(2f, 3f)));

    [Fact] public void LaplaceLaplace_MatchesMonteCarlo() => CheckMonteCarlo(new Laplace(V(0f, 2f), V(1f, 0.5f)), new Laplace(V(1f, 2f), V(2f, 0.3f)));

    [Fact] public void GumbelGumbel_MatchesMonteCarlo() => CheckMonteCarlo(new Gumbel(V(0f, 2f), V(1f, 0.5f)), new Gumbel(V(1f, 1.5f), V(2f, 0.8f)));

    [Fact] public void UniformUniform_Nested_MatchesMonteCarlo() => CheckMonteCarlo(new Uniform(V(0f, 1f), V(1f, 1.5f)), new Uniform(V(-1f, 0f), V(2f, 4f)));

    [Fact]
    public void UniformUniform_NotNested_IsInfinite()
    {
        var kl = Kl.Divergence(new Uniform(V(0f, -1f), V(2f, 0.5f)), new Uniform(-0.5f, 1f)).Value;
        Assert.Equal(float.PositiveInfinity, kl[0]);
        Assert.Equal(float.PositiveInfinity, kl[1]);
    }

    [Fact] public void ExponentialExponential_MatchesMonteCarlo() => CheckMonteCarlo(new Exponential(V(1f, 0.2f)), new Exponential(V(3f, 0.25f)));

    [Fact] public void ExponentialGamma_MatchesMonteCarlo() => CheckMonteCarlo(new Exponential(V(1f, 0.2f)), new Gamma(V(2f, 0.7f), V(1.5f, 0.3f)));

    [Fact]
    public void ExponentialGamma_ShapeOne_EqualsExponentialExponential() =>
        Assert.Equal(Kl.Divergence(new Exponential(0.7f), new Exponential(2f)).ToScalar(),
            Kl.Divergence(new Exponential(0.7f), new Gamma(1f, 2f)).ToScalar(), 1e-5);

    [Fact] public void GammaExponential_MatchesMonteCarlo() => CheckMonteCarlo(new Gamma(V(2f, 0.5f), V(1.5f, 3f)), new Exponential(V(1f, 2f)));

    [Fact] public void GammaGamma_MatchesMonteCarlo() => CheckMonteCarlo(new Gamma(V(2f, 0.3f, 50f), V(1.5f, 1f, 5f)), new Gamma(V(3f, 0.5f, 40f), V(1f, 2f, 4.5f)));

    [Fact]
    public void GammaGamma_LargeCloseShapes_KeepsRelativeAccuracy()
    {
        // α = 2000 vs 2001: the log Γ terms are ≈ 1.3·10⁴ each and the KL ≈ 2.5·10⁻⁴, below float rounding of the terms.
        double a = 2000, b = 2001;
        double expected = MathNet.Numerics.SpecialFunctions.GammaLn(b) - MathNet.Numerics.SpecialFunctions.GammaLn(a)
            + (a - b) * MathNet.Numerics.SpecialFunctions.DiGamma(a);
        double actual = Kl.Divergence(new Gamma((float)a, 1f), new Gamma((float)b, 1f)).ToScalar();
        Assert.Equal(expected, actual, expected * 1e-3);
    }

    [Fact] public void InverseGammaInverseGamma_MatchesMonteCarlo() => CheckMonteCarlo(new InverseGamma(V(3f, 5f), V(1f, 2f)), new InverseGamma(V(2.5f, 4f), V(1.5f, 2f)));

    [Fact] public void BetaBeta_MatchesMonteCarlo() => CheckMonteCarlo(new Beta(V(2f, 0.5f), V(3f, 0.7f)), new Beta(V(1f, 0.8f), V(1f, 2f)));

    [Fact]
    public void DirichletDirichlet_MatchesMonteCarlo() =>
        CheckMonteCarlo(new Dirichlet(Var.Const(Tensor.FromArray([1f, 2f, 3f, 0.5f, 0.5f, 4f], 2, 3))), new Dirichlet(V(2f, 2f, 2f)));

    [Fact]
    public void DirichletDirichlet_TwoClasses_EqualsBetaBeta() =>
        Assert.Equal(Kl.Divergence(new Beta(2f, 3f), new Beta(0.7f, 1.4f)).ToScalar(),
            Kl.Divergence(new Dirichlet(V(2f, 3f)), new Dirichlet(V(0.7f, 1.4f))).ToScalar(), 1e-5);

    [Fact]
    public void BernoulliBernoulli_Probs_MatchesEnumerationAndMonteCarlo()
    {
        var p = new Bernoulli(V(0.2f, 0.9f, 0.5f)); var q = new Bernoulli(V(0.5f, 0.3f, 0.5f));
        CheckEnumerated(p, q);
        CheckMonteCarlo(p, q);
    }

    [Fact]
    public void BernoulliBernoulli_Logits_MatchesProbsAndStaysFinite()
    {
        var kl = Kl.Divergence(Bernoulli.FromLogits(V(-1.3f, 40f)), Bernoulli.FromLogits(V(0.4f, -40f))).Value;
        var fromProbs = Kl.Divergence(new Bernoulli(V(1 / (1 + MathF.Exp(1.3f)))), new Bernoulli(V(1 / (1 + MathF.Exp(-0.4f))))).ToScalar();
        Assert.Equal(fromProbs, kl[0], 1e-5);
        // p = σ(40) ≈ 1 − 4·10⁻¹⁸, q = σ(−40) ≈ 4·10⁻¹⁸: KL ≈ log(p/q) = 40 (probabilities would round to 1 and 0
        // and give ∞).
        Assert.Equal(40, kl[1], 1e-3);
    }

    [Fact]
    public void BernoulliBernoulli_DegenerateP_UsesZeroLogZero()
    {
        var kl = Kl.Divergence(new Bernoulli(V(0f, 1f)), new Bernoulli(V(0.25f, 0.25f))).Value;
        Assert.Equal(-Math.Log(0.75), kl[0], 1e-6);
        Assert.Equal(-Math.Log(0.25), kl[1], 1e-6);
    }

    [Fact]
    public void BinomialBinomial_MatchesEnumeration()
    {
        // Enumeration needs one total count per batch, so the two totals are two batches.
        CheckEnumerated(new Binomial(10f, V(0.3f, 0.8f)), new Binomial(10f, V(0.5f, 0.6f)));
        CheckEnumerated(new Binomial(4f, 0.05f), new Binomial(4f, 0.6f));
    }

    [Fact]
    public void BinomialBinomial_DifferentTotals_Throws() =>
        Assert.Throws<NotSupportedException>(() => Kl.Divergence(new Binomial(5f, 0.3f), new Binomial(6f, 0.3f)));

    [Fact]
    public void CategoricalCategorical_MatchesEnumerationAndMonteCarlo()
    {
        var p = Categorical.FromLogits(Var.Const(Tensor.FromArray([0f, 1f, 2f, 3f, -1f, 0f], 2, 3)));
        var q = new Categorical(V(0.2f, 0.5f, 0.3f));
        CheckEnumerated(p, q);
        CheckMonteCarlo(p, q);
    }

    [Fact]
    public void CategoricalCategorical_ZeroProbabilities_FollowConvention()
    {
        // p has no mass on class 2: that class contributes nothing even though q has none either; q lacking class 0,
        // where p has mass, makes the divergence infinite.
        Assert.Equal(0.5 * Math.Log(0.5 / 0.25) + 0.5 * Math.Log(0.5 / 0.75),
            Kl.Divergence(new Categorical(V(0.5f, 0.5f, 0f)), new Categorical(V(0.25f, 0.75f, 0f))).ToScalar(), 1e-6);
        Assert.Equal(float.PositiveInfinity, Kl.Divergence(new Categorical(V(0.5f, 0.5f)), new Categorical(V(0f, 1f))).ToScalar());
    }

    [Fact] public void PoissonPoisson_MatchesMonteCarlo() => CheckMonteCarlo(new Poisson(V(1f, 20f, 0.1f)), new Poisson(V(2f, 15f, 0.5f)));

    [Fact] public void GeometricGeometric_MatchesMonteCarlo() => CheckMonteCarlo(new Geometric(V(0.3f, 0.9f)), new Geometric(V(0.5f, 0.6f)));

    [Fact]
    public void Divergence_SameDistribution_IsZero()
    {
        Assert.Equal(0f, Kl.Divergence(new Normal(1f, 2f), new Normal(1f, 2f)).ToScalar());
        Assert.Equal(0f, Kl.Divergence(new Gamma(3f, 2f), new Gamma(3f, 2f)).ToScalar());
        var mvn = new MultivariateNormal(V(1f, 2f), M(new float[,] { { 2f, 0.3f }, { 0.3f, 1f } }));
        Assert.Equal(0, Kl.Divergence(mvn, mvn).ToScalar(), 1e-6);
    }

    [Fact]
    public void Has_ReportsRegisteredPairsOnly()
    {
        Assert.True(Kl.Has(new Normal(0f, 1f), new Normal(1f, 1f)));
        Assert.True(Kl.Has(typeof(Exponential), typeof(Gamma)));
        Assert.False(Kl.Has(new Normal(0f, 1f), new Cauchy(0f, 1f)));
        Assert.False(Kl.Has(typeof(Logistic), typeof(Logistic)));
        Assert.Throws<NotSupportedException>(() => Kl.Divergence(new Normal(0f, 1f), new Laplace(0f, 1f)));
    }

    [Fact]
    public void Register_AddsAPair()
    {
        // Logistic ‖ Logistic has no closed form; register a stand-in (the squared location difference) to test the table.
        Kl.Register<Logistic, Logistic>((p, q) => Ops.Square(p.Loc - q.Loc));
        try
        {
            Assert.True(Kl.Has(typeof(Logistic), typeof(Logistic)));
            Assert.Equal(4f, Kl.Divergence(new Logistic(1f, 1f), new Logistic(3f, 1f)).ToScalar());
        }
        finally { Kl.Unregister<Logistic, Logistic>(); }
    }

    [Fact]
    public void NormalNormal_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(x => Kl.Divergence(new Normal(x[0], x[1]), new Normal(x[2], x[3])),
            Tensor.Vector(0f, 1f), Tensor.Vector(1f, 0.5f), Tensor.Vector(0.5f, -1f), Tensor.Vector(2f, 0.4f));

    [Fact]
    public void MvnMvn_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(x => Kl.Divergence(new MultivariateNormal(x[0], x[1]), new MultivariateNormal(x[2], x[3])),
            Tensor.Vector(0f, 1f, -1f), OpsCholeskyTests.Spd(13, 1, 3).Reshape(3, 3), Tensor.Vector(0.5f, 0f, 0.2f), OpsCholeskyTests.Spd(14, 1, 3).Reshape(3, 3));

    [Fact]
    public void GammaGamma_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(x => Kl.Divergence(new Gamma(x[0], x[1]), new Gamma(x[2], x[3])),
            Tensor.Vector(2f, 0.3f), Tensor.Vector(1.5f, 1f), Tensor.Vector(3f, 0.5f), Tensor.Vector(1f, 2f));

    [Fact]
    public void DirichletDirichlet_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(x => Kl.Divergence(new Dirichlet(x[0]), new Dirichlet(x[1])), Tensor.Vector(1f, 2f, 0.5f), Tensor.Vector(2f, 0.7f, 1.5f));

    [Fact]
    public void BetaBeta_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(x => Kl.Divergence(new Beta(x[0], x[1]), new Beta(x[2], x[3])),
            Tensor.Vector(2f, 0.5f), Tensor.Vector(3f, 0.7f), Tensor.Vector(1f, 0.8f), Tensor.Vector(1f, 2f));

    [Fact]
    public void ScaleFamilies_Gradient_MatchesFiniteDifferences()
    {
        GradCheck.Check(x => Kl.Divergence(new Laplace(x[0], x[1]), new Laplace(x[2], x[3])),
            Tensor.Vector(0f, 2f), Tensor.Vector(1f, 0.5f), Tensor.Vector(1f, 2.5f), Tensor.Vector(2f, 0.3f));
        GradCheck.Check(x => Kl.Divergence(new Gumbel(x[0], x[1]), new Gumbel(x[2], x[3])),
            Tensor.Vector(0f, 2f), Tensor.Vector(1f, 0.5f), Tensor.Vector(1f, 1.5f), Tensor.Vector(2f, 0.8f));
        GradCheck.Check(x => Kl.Divergence(new Exponential(x[0]), new Gamma(x[1], x[2])),
            Tensor.Vector(1f, 0.2f), Tensor.Vector(2f, 0.7f), Tensor.Vector(1.5f, 0.3f));
        GradCheck.Check(x => Kl.Divergence(Bernoulli.FromLogits(x[0]), Bernoulli.FromLogits(x[1])), Tensor.Vector(-1.3f, 2f), Tensor.Vector(0.4f, -1f));
    }
}
