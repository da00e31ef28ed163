// The Gaussian mixture of examples/gmm/gmm.ppl with each z[n] summed out by hand.
// The prior is exchangeable in the components, so the posterior has K! copies of each mode; `ordered` keeps the
// one with mu[0] < mu[1] < mu[2] (exact for separated modes: the prior restricted to the region, renormalised).
// Compare a fit after sorting its components by mu (compare.py --order mu). z[n] is drawn from its exact
// conditional in generated quantities (0-based), so its draws are the marginal posterior under this labelling.
data {
  int<lower=1> N;
  int<lower=1> K;
  real x[N];
}
parameters {
  simplex[K] weights;
  ordered[K] mu;
  vector<lower=0>[K] sigma;
}
model {
  weights ~ dirichlet(rep_vector(1, K));
  mu ~ normal(0, 10);
  sigma ~ normal(0, 5);
  for (n in 1:N) {
    vector[K] lp;
    for (k in 1:K) lp[k] = log(weights[k]) + normal_lpdf(x[n] | mu[k], sigma[k]);
    target += log_sum_exp(lp);
  }
}
generated quantities {
  int z[N];
  for (n in 1:N) {
    vector[K] lp;
    for (k in 1:K) lp[k] = log(weights[k]) + normal_lpdf(x[n] | mu[k], sigma[k]);
    z[n] = categorical_rng(softmax(lp)) - 1;
  }
}
