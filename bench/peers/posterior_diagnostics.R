#!/usr/bin/env Rscript
# The R package posterior's convergence diagnostics, the peer of mcmc's
# RHat, ESSBulk, ESSTail, ESS and MCSEMean, on CSV files of chains (one
# column per chain, one row per draw, no header), with 17 significant
# digits, one key=value line per file (NA where posterior returns NA).
#
# usage: Rscript bench/peers/posterior_diagnostics.R file.csv...
suppressMessages(library(posterior))
cpu <- tryCatch({
  l <- grep("^model name", readLines("/proc/cpuinfo"), value = TRUE)[1]
  trimws(sub("^[^:]*:", "", l))
}, error = function(e) Sys.info()[["machine"]])
cat("# sitting: script=posterior_diagnostics.R date=", format(Sys.time(), "%Y-%m-%dT%H:%M:%SZ", tz = "UTC"),
    " cpu=\"", cpu, "\" r=", paste(R.version$major, R.version$minor, sep = "."),
    " posterior=", as.character(packageVersion("posterior")), "\n", sep = "")
g <- function(v) trimws(formatC(v, digits = 17, format = "g"))
for (file in commandArgs(trailingOnly = TRUE)) {
  x <- as.matrix(read.csv(file, header = FALSE))
  cat("peer=posterior file=", basename(file), " rhat=", g(rhat(x)), " ess_bulk=", g(ess_bulk(x)),
      " ess_tail=", g(ess_tail(x)), " ess_basic=", g(ess_basic(x)), " mcse_mean=", g(mcse_mean(x)), "\n", sep = "")
}
