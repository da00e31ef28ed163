// Poisson regression with a log link, as examples/poisson_regression/poisson_regression.ppl.
data {
  int<lower=0> N;
  int<lower=0> D;
  matrix[N, D] X;
  int<lower=0> y[N];
}
parameters {
  vector[D] beta;
  real alpha;
}
model {
  beta ~ normal(0, 1);
  alpha ~ normal(0, 2);
  y ~ poisson_log(X * beta + alpha);
}
