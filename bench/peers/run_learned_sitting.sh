#!/bin/sh
# One sitting of the learned half against its peers: our GEMM against
# NumPy's float64 matmul, and our generator, training step, GMMN step and
# GAN iteration against PyTorch (CPU), run back to back, ours before and
# after each peer, at one thread and at two. The raw output goes to
# bench/peers/raw/<date>-learned.txt (and the GEMM pair to
# numpy_gemm-<date>-{numpy,go}.txt, which internal/kernels/BENCHMARKS.md
# quotes; a later sitting of the same day adds T<hhmm> to the date);
# tables.py turns it into the README's learned peer table.
#
# usage: sh bench/peers/run_learned_sitting.sh   (from the module root; about 12 minutes)
set -eu
day=$(date -u +%Y-%m-%d)
d=$(date -u +%Y%m%d)
raw=bench/peers/raw
# A second sitting on one day is named by its time too, so that it never
# overwrites the raw output an earlier figure was read from.
if [ -e "$raw/$day-learned.txt" ]; then
	t=$(date -u +%H%M)
	day="${day}T$t"
	d="${d}T$t"
fi
py=/usr/bin/python3
mkdir -p "$raw"
load() { cut -d' ' -f1-3 /proc/loadavg; }

# GEMM: NumPy (OpenBLAS left to pick this processor's kernel) and ours.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $py bench/peers/numpy_gemm.py >"$raw/numpy_gemm-$d-numpy.txt"
{
	echo "# date=$(date -u +%Y-%m-%dT%H:%M:%SZ) go=$(go version | cut -d' ' -f3) cpu='$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')' load=$(load | tr ' ' ,) command=go test -run '^\$' -bench Gemm -benchtime 0.3s -count 5 ./internal/kernels"
	go test -run '^$' -bench Gemm -benchtime 0.3s -count 5 ./internal/kernels
	echo "# load=$(load | tr ' ' ,) at the end"
} >"$raw/numpy_gemm-$d-go.txt" 2>&1

# The networks: ours at GOMAXPROCS=t, PyTorch at t threads, ours again.
# PyTorch's float64 products go through OpenBLAS too, so it runs with the
# same variables unset as NumPy: a forced Haswell kernel makes it slower.
ours() {
	echo "# go: GOMAXPROCS=$1 go test -run '^\$' -bench 'GeneratorSample|TrainStep|^BenchmarkStep' -count 3 ./generator ./internal/nn ./gmn ./gan, load $(load)"
	GOMAXPROCS=$1 go test -run '^$' -bench 'GeneratorSample|TrainStep|^BenchmarkStep' -count 3 ./generator ./internal/nn ./gmn ./gan
}
{
	echo "# learned: sh bench/peers/run_learned_sitting.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(go version), load $(load)"
	for t in 1 2; do
		ours $t
		echo "# torch: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 $py bench/peers/torch_learned.py $t, load $(load)"
		env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 $py bench/peers/torch_learned.py $t
		ours $t
	done
} >"$raw/$day-learned.txt" 2>&1
