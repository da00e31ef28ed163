# nuts_reference.R — a long NUTS run of stan/NAME.stan on examples/NAME/NAME.data.json, written as
# reference/NAME.csv (name,mean,sd,se_mean,rhat,ess_bulk,ess_tail; Ppl's 0-based names like theta[3]).
#
#   nice -n 10 Rscript examples/accuracy/nuts_reference.R NAME [draws_per_chain]
#
# Needs Debian's r-cran-rstan (Stan 2.21) and r-cran-bh with its headers where rstan looks for them
# (see examples/README.md, "Accuracy"). Run from the repository root.
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript examples/accuracy/nuts_reference.R NAME [draws_per_chain]")
name <- args[1]
draws <- if (length(args) >= 2) as.integer(args[2]) else 10000L
chains <- 4L; warmup <- 2000L; seed <- 20261201L

data <- fromJSON(file.path("examples", name, paste0(name, ".data.json")), simplifyVector = TRUE)
reserved <- c("floor")  # Stan function names that Ppl's examples use as data names: the .stan files add "_"
for (r in intersect(names(data), reserved)) data[[paste0(r, "_")]] <- data[[r]]
model <- stan_model(file.path("examples", "accuracy", "stan", paste0(name, ".stan")), model_name = name)
fit <- sampling(model, data = data, chains = chains, iter = warmup + draws, warmup = warmup,
                seed = seed, cores = 1, refresh = 0, control = list(adapt_delta = 0.95))

mon <- as.data.frame(monitor(fit, warmup = 0, print = FALSE))
mon <- mon[rownames(mon) != "lp__", ]
sp <- get_sampler_params(fit, inc_warmup = FALSE)
divergent <- sum(sapply(sp, function(x) sum(x[, "divergent__"])))

# Stan's theta[4] or a[2,3] (1-based) -> Ppl's theta[3] or a[1,2] (0-based)
ppl_name <- function(s) {
  m <- regmatches(s, regexec("^([^\\[]+)\\[(.*)\\]$", s))[[1]]
  if (length(m) == 0) return(s)
  idx <- as.integer(strsplit(m[3], ",")[[1]]) - 1L
  paste0(m[2], "[", paste(idx, collapse = ","), "]")
}
out <- data.frame(name = vapply(rownames(mon), ppl_name, ""), mean = mon$mean, sd = mon$sd,
                  se_mean = mon$se_mean, rhat = mon$Rhat, ess_bulk = mon$Bulk_ESS, ess_tail = mon$Tail_ESS)
path <- file.path("examples", "accuracy", "reference", paste0(name, ".csv"))
con <- file(path, "w")
writeLines(c(sprintf("# NUTS reference for examples/%s: rstan %s (Stan %s), %d chains x %d draws after %d warm-up, adapt_delta 0.95, seed %d",
                     name, packageVersion("rstan"), stan_version(), chains, draws, warmup, seed),
             sprintf("# max rhat %.4f, min bulk ess %.0f, min tail ess %.0f, divergent transitions %d",
                     max(out$rhat, na.rm = TRUE), min(out$ess_bulk, na.rm = TRUE), min(out$ess_tail, na.rm = TRUE), divergent)),
           con)
num <- sapply(out, is.numeric)
out[num] <- lapply(out[num], signif, digits = 7)
write.csv(out, con, row.names = FALSE, quote = FALSE)
close(con)
cat(readLines(path, n = 2), sep = "\n")
