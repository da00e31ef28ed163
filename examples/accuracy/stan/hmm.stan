// The two-state HMM of examples/hmm/hmm.ppl with the states summed out by the forward algorithm.
// The prior is symmetric in the two states, so `ordered` keeps the labelling with mu[0] < mu[1]
// (compare a fit with compare.py --order mu). The states are drawn by forward filtering, backward
// sampling in generated quantities (0-based), so their draws are the marginal posterior.
functions {
  // alpha[t, k] = log p(y[1..t], z[t] = k)
  matrix forward(real[] y, vector mu, real sigma, real stay) {
    int T = size(y);
    matrix[T, 2] alpha;
    matrix[2, 2] lt;   // lt[i, j] = log p(z[t] = j | z[t-1] = i)
    lt[1, 1] = log(stay); lt[2, 2] = log(stay);
    lt[1, 2] = log1m(stay); lt[2, 1] = log1m(stay);
    for (k in 1:2) alpha[1, k] = log(0.5) + normal_lpdf(y[1] | mu[k], sigma);
    for (t in 2:T)
      for (k in 1:2)
        alpha[t, k] = log_sum_exp(alpha[t - 1, 1] + lt[1, k], alpha[t - 1, 2] + lt[2, k])
                      + normal_lpdf(y[t] | mu[k], sigma);
    return alpha;
  }
}
data {
  int<lower=1> T;
  real y[T];
}
parameters {
  ordered[2] mu;
  real<lower=0> sigma;
  real<lower=0, upper=1> stay;
}
model {
  mu ~ normal(0, 5);
  sigma ~ normal(0, 2);
  stay ~ beta(8, 2);
  target += log_sum_exp(forward(y, mu, sigma, stay)[T]);
}
generated quantities {
  int z[T];
  {
    matrix[T, 2] alpha = forward(y, mu, sigma, stay);
    vector[2] w;
    z[T] = categorical_rng(softmax(alpha[T]'));
    for (tt in 1:(T - 1)) {
      int t = T - tt;
      for (k in 1:2) w[k] = alpha[t, k] + (k == z[t + 1] ? log(stay) : log1m(stay));
      z[t] = categorical_rng(softmax(w));
    }
    for (t in 1:T) z[t] -= 1;
  }
}
