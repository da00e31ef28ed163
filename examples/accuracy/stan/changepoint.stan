// The changepoint model of examples/changepoint/changepoint.ppl with the discrete switch point s
// summed out by hand: p(y | early, late) = sum_s (1/T) prod_t Poisson(y[t] | t < s ? early : late),
// s in 0..T-1 as in Ppl. Gamma(2, 0.5) is shape and rate in both languages.
// s is drawn from its exact conditional in generated quantities, so its draws are the marginal posterior.
functions {
  // lp[s] = log p(s, y | early, late) for s = 0..T-1 (Stan's index s + 1)
  vector switch_logp(real[] t, int[] y, real early, real late) {
    int T = size(y);
    vector[T] lp;
    for (s in 1:T) {
      lp[s] = -log(T);
      for (i in 1:T)
        lp[s] += poisson_lpmf(y[i] | t[i] < s - 1 ? early : late);
    }
    return lp;
  }
}
data {
  int<lower=1> T;
  real t[T];
  int<lower=0> y[T];
}
parameters {
  real<lower=0> early;
  real<lower=0> late;
}
model {
  early ~ gamma(2, 0.5);
  late ~ gamma(2, 0.5);
  target += log_sum_exp(switch_logp(t, y, early, late));
}
generated quantities {
  int s = categorical_rng(softmax(switch_logp(t, y, early, late))) - 1;
}
