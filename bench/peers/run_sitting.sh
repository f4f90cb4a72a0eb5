#!/bin/sh
# One sitting of the peer comparison: each of our Go benchmarks and its
# peer run back to back on this machine, their raw output written to
# bench/peers/raw/<date>-<topic>.txt, which the README's peer figures quote.
#
# usage: sh bench/peers/run_sitting.sh   (from the module root; about 10 minutes)
set -eu
day=$(date -u +%Y-%m-%d)
raw=bench/peers/raw
py=/usr/bin/python3
mkdir -p "$raw"
header() {
	echo "# $1: sh bench/peers/run_sitting.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(go version), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Inverse transform and rejection against SciPy's UNU.RAN.
{
	header sampling
	go test -run '^$' -bench 'Sample|Setup' -benchtime 0.2s -count 3 ./transform ./rejection
	$py bench/peers/scipy_unuran.py
} >"$raw/$day-sampling.txt" 2>&1

# The stretch move and random-walk Metropolis against emcee (and gonum,
# inside the Go benchmarks).
{
	header mcmc
	go test -run '^$' -bench 'RandomWalk|Stretch' -count 3 ./mcmc
	$py bench/peers/emcee_stretch.py
} >"$raw/$day-mcmc.txt" 2>&1

# MMD² against NumPy, NumPy before and after ours.
{
	header mmd
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $py bench/peers/numpy_mmd2.py
	go test -run '^$' -bench 'MMD2Unbiased$' -benchtime 3x -count 6 ./mmd
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $py bench/peers/numpy_mmd2.py
} >"$raw/$day-mmd.txt" 2>&1

# The diagnostics' reference values on mcmc's committed chain fixtures.
{
	header posterior
	Rscript bench/peers/posterior_diagnostics.R mcmc/testdata/*.csv
} >"$raw/$day-posterior.txt" 2>&1
