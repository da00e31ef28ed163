// Group intercepts and shared slopes, as examples/hierarchical_regression/hierarchical_regression.ppl.
// The Ppl model is centred (a ~ Normal(mu_a, sigma_a)); NUTS samples the same posterior through the
// non-centred a_nc (a = mu_a + sigma_a * a_nc has the same distribution) to avoid the funnel's divergences.
data {
  int<lower=0> N;
  int<lower=0> K;
  int<lower=1> G;
  matrix[N, K] X;
  int<lower=0, upper=G-1> g[N];
  vector[N] y;
}
parameters {
  real mu_a;
  real<lower=0> sigma_a;
  vector[G] a_nc;
  vector[K] beta;
  real<lower=0> sigma;
}
transformed parameters {
  vector[G] a = mu_a + sigma_a * a_nc;
}
model {
  vector[N] m = X * beta;
  for (n in 1:N) m[n] += a[g[n] + 1];
  mu_a ~ normal(0, 5);
  sigma_a ~ normal(0, 2);
  a_nc ~ normal(0, 1);
  beta ~ normal(0, 2);
  sigma ~ normal(0, 1);
  y ~ normal(m, sigma);
}
