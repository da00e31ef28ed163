# gmm_modes.R — what the gmm posterior is: NUTS draws of stan/gmm.stan (the components ordered by mu) sorted by which
# cluster of the data each component sits on (L: mu < -2.2, M: -2.2..2.5, R: above 2.5), with each configuration's
# share of the draws, the chains that visit it, and its means and sds.
#
#   nice -n 10 Rscript examples/accuracy/gmm_modes.R        (from the repository root; setup as nuts_reference.R)
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
data <- fromJSON("examples/gmm/gmm.data.json", simplifyVector = TRUE)
model <- stan_model("examples/accuracy/stan/gmm.stan", model_name = "gmm")
fit <- sampling(model, data = data, chains = 4, iter = 7000, warmup = 2000, seed = 20261201L, cores = 1, refresh = 0,
                control = list(adapt_delta = 0.95), pars = c("weights", "mu", "sigma"))
a <- as.array(fit)
d <- do.call(rbind, lapply(1:4, function(c) data.frame(chain = c, a[, c, ], check.names = FALSE)))
where <- function(m) ifelse(m < -2.2, "L", ifelse(m < 2.5, "M", "R"))
d$config <- paste0(where(d[["mu[1]"]]), where(d[["mu[2]"]]), where(d[["mu[3]"]]))
cols <- c(paste0("weights[", 1:3, "]"), paste0("mu[", 1:3, "]"), paste0("sigma[", 1:3, "]"))
for (k in names(sort(table(d$config), decreasing = TRUE))) {
  s <- d[d$config == k, ]
  cat(sprintf("%s: %.3f of the draws, chains %s\n", k, nrow(s) / nrow(d), paste(sort(unique(s$chain)), collapse = " ")))
  cat(sprintf("  %-10s %7.2f %6.2f\n", cols, sapply(s[cols], mean), sapply(s[cols], sd)), sep = "")
}
