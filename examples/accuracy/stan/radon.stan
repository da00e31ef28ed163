// Varying intercepts per county, non-centred, as examples/radon/radon.ppl.
// county is 0-based in the data (Ppl's convention), hence county[n] + 1.
data {
  int<lower=0> N;
  int<lower=1> J;
  int<lower=0, upper=J-1> county[N];
  vector[N] floor_;  // the data's floor (a reserved word in Stan)
  vector[N] log_radon;
}
parameters {
  real mu_a;
  real<lower=0> sigma_a;
  vector[J] a_raw;
  real b;
  real<lower=0> sigma_y;
}
transformed parameters {
  vector[J] a = mu_a + sigma_a * a_raw;
}
model {
  vector[N] m;
  for (n in 1:N) m[n] = a[county[n] + 1] + b * floor_[n];
  mu_a ~ normal(0, 10);
  sigma_a ~ normal(0, 5);
  a_raw ~ normal(0, 1);
  b ~ normal(0, 10);
  sigma_y ~ normal(0, 5);
  log_radon ~ normal(m, sigma_y);
}
