// Bayesian logistic regression, as examples/logistic/logistic.ppl.
data {
  int<lower=0> N;
  int<lower=0> D;
  matrix[N, D] X;
  int<lower=0, upper=1> y[N];
}
parameters {
  vector[D] w;
  real b;
}
model {
  w ~ normal(0, 1);
  b ~ normal(0, 5);
  y ~ bernoulli_logit(X * w + b);
}
