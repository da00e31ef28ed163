using System.Collections.Concurrent;
using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The registry of closed-form Kullback–Leibler divergences KL(p ‖ q) = E_p[log p(x) − log q(x)], keyed by the pair of
/// distribution types. An ELBO uses <see cref="Has(Distribution, Distribution)"/> to choose the analytic KL term over a Monte Carlo one, and
/// <see cref="Divergence"/> to get it; like every <see cref="Var"/> result it is differentiable in both distributions'
/// parameters. The pairs live in one table (<see cref="Table"/>); the formulas, each with its derivation or source,
/// are in <c>Kl.Formulas.cs</c>. Other parts of the runtime (flows, new families) add pairs with <see cref="Register"/>.
/// </summary>
public static partial class Kl
{
    /// <summary>The registered pairs: (type of p, type of q) → KL(p ‖ q).</summary>
    static readonly ConcurrentDictionary<(Type P, Type Q), Func<Distribution, Distribution, Var>> Table = new(new Dictionary<(Type, Type), Func<Distribution, Distribution, Var>>
    {
        [(typeof(Normal), typeof(Normal))] = Pair<Normal, Normal>(NormalNormal),
        [(typeof(LogNormal), typeof(LogNormal))] = Pair<LogNormal, LogNormal>(LogNormalLogNormal),
        [(typeof(HalfNormal), typeof(HalfNormal))] = Pair<HalfNormal, HalfNormal>(HalfNormalHalfNormal),
        [(typeof(MultivariateNormal), typeof(MultivariateNormal))] = Pair<MultivariateNormal, MultivariateNormal>(MvnMvn),
        [(typeof(Cauchy), typeof(Cauchy))] = Pair<Cauchy, Cauchy>(CauchyCauchy),
        [(typeof(Laplace), typeof(Laplace))] = Pair<Laplace, Laplace>(LaplaceLaplace),
        [(typeof(Gumbel), typeof(Gumbel))] = Pair<Gumbel, Gumbel>(GumbelGumbel),
        [(typeof(Uniform), typeof(Uniform))] = Pair<Uniform, Uniform>(UniformUniform),
        [(typeof(Exponential), typeof(Exponential))] = Pair<Exponential, Exponential>(ExponentialExponential),
        [(typeof(Exponential), typeof(Gamma))] = Pair<Exponential, Gamma>(ExponentialGamma),
        [(typeof(Gamma), typeof(Exponential))] = Pair<Gamma, Exponential>(GammaExponential),
        [(typeof(Gamma), typeof(Gamma))] = Pair<Gamma, Gamma>(GammaGamma),
        [(typeof(InverseGamma), typeof(InverseGamma))] = Pair<InverseGamma, InverseGamma>(InverseGammaInverseGamma),
        [(typeof(Beta), typeof(Beta))] = Pair<Beta, Beta>(BetaBeta),
        [(typeof(Dirichlet), typeof(Dirichlet))] = Pair<Dirichlet, Dirichlet>(DirichletDirichlet),
        [(typeof(Bernoulli), typeof(Bernoulli))] = Pair<Bernoulli, Bernoulli>(BernoulliBernoulli),
        [(typeof(Binomial), typeof(Binomial))] = Pair<Binomial, Binomial>(BinomialBinomial),
        [(typeof(Categorical), typeof(Categorical))] = Pair<Categorical, Categorical>(CategoricalCategorical),
        [(typeof(Poisson), typeof(Poisson))] = Pair<Poisson, Poisson>(PoissonPoisson),
        [(typeof(Geometric), typeof(Geometric))] = Pair<Geometric, Geometric>(GeometricGeometric),
    });

    /// <summary>
    /// <see cref="Find"/>'s answers by type pair, misses included (an ELBO asks about every latent site on every step);
    /// cleared whenever the table changes.
    /// </summary>
    static readonly ConcurrentDictionary<(Type P, Type Q), Func<Distribution, Distribution, Var>?> Resolved = new();

    static Func<Distribution, Distribution, Var> Pair<TP, TQ>(Func<TP, TQ, Var> kl)
        where TP : Distribution where TQ : Distribution => (p, q) => kl((TP)p, (TQ)q);

    /// <summary>
    /// KL(p ‖ q), one value per element of the broadcast of the two batch shapes (event dimensions summed). +∞ where
    /// p puts mass outside q's support. Throws <see cref="NotSupportedException"/> for a pair with no closed form.
    /// </summary>
    public static Var Divergence(Distribution p, Distribution q)
    {
        var kl = Find(p.GetType(), q.GetType())
            ?? throw new NotSupportedException($"no closed-form KL divergence is registered for {p.GetType().Name} ‖ {q.GetType().Name}");
        return kl(p, q);
    }

    /// <summary>Whether KL(p ‖ q) has a registered closed form.</summary>
    public static bool Has(Distribution p, Distribution q) => Find(p.GetType(), q.GetType()) is not null;

    /// <summary>Whether a closed form is registered for distributions of these types.</summary>
    public static bool Has(Type p, Type q) => Find(p, q) is not null;

    /// <summary>Adds (or replaces) the closed form for the pair (<typeparamref name="TP"/>, <typeparamref name="TQ"/>).</summary>
    public static void Register<TP, TQ>(Func<TP, TQ, Var> kl) where TP : Distribution where TQ : Distribution
    {
        Table[(typeof(TP), typeof(TQ))] = Pair(kl);
        Resolved.Clear();
    }

    /// <summary>Removes the closed form for the pair, if any (for tests and for replacing a family's formulas).</summary>
    public static bool Unregister<TP, TQ>() where TP : Distribution where TQ : Distribution
    {
        bool removed = Table.TryRemove((typeof(TP), typeof(TQ)), out _);
        Resolved.Clear();
        return removed;
    }

    /// <summary>The most specific registered pair: the exact types first, then walking up each type's base classes.</summary>
    static Func<Distribution, Distribution, Var>? Find(Type p, Type q)
    {
        if (Resolved.TryGetValue((p, q), out var known)) return known;
        var found = Walk(p, q);
        Resolved[(p, q)] = found;
        return found;
    }

    static Func<Distribution, Distribution, Var>? Walk(Type p, Type q)
    {
        for (var tp = p; tp is not null && tp != typeof(object); tp = tp.BaseType)
            for (var tq = q; tq is not null && tq != typeof(object); tq = tq.BaseType)
                if (Table.TryGetValue((tp, tq), out var kl)) return kl;
        return null;
    }
}
