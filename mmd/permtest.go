package mmd

import (
	"fmt"
	"math/rand/v2"

	"github.com/variate/variate/internal/parallel"
)

// TestOptions tunes Test. The zero value (or a nil *TestOptions) means the
// defaults documented on each field.
type TestOptions struct {
	// Permutations is the number B of random relabellings. Zero means 1000.
	Permutations int
	// MaxPoints caps the pooled sample size N = n + m, and so the memory
	// Test allocates: the N(N−1)/2 distinct kernel values of the pooled
	// sample, 4·N·(N−1) bytes, plus (B+1)·N bytes of relabellings,
	// 8·N·(dim+3) bytes of pooled points and sums, and 56·N bytes for each
	// of up to GOMAXPROCS worker buffers. Nothing else of size N² is
	// allocated, so this total bounds the memory in use at once. Zero
	// means 8192: 268 MB of kernel values, and with the default B and
	// two workers 0.28 GB in all.
	MaxPoints int
}

// TestResult is the outcome of a two-sample test.
type TestResult struct {
	// Statistic is the unbiased MMD² of the samples as given.
	Statistic float64
	// PValue is (1 + #{b : T_b ≥ T}) / (1 + B), where T_b is the statistic
	// after the b-th random relabelling. Under the null hypothesis of equal
	// distributions P(PValue ≤ α) ≤ α for every α: the observed labelling
	// is exchangeable with the random ones.
	PValue float64
	// Permutations is B.
	Permutations int
}

// Test is the permutation two-sample test of Gretton et al. (2012, §8,
// "bootstrap") with the unbiased MMD² as statistic: the pooled points are
// split at random B times into sets of sizes n and m, and the p-value is
// the share of splits whose statistic reaches the observed one, counting
// the observed split itself.
//
// The kernel is evaluated once per distinct pair of the pooled sample (in
// parallel, each entry independently). A relabelling then needs only the
// sums of those values within each new set: per row of the pooled
// triangular Gram matrix one weighted sum over the indicator of the first
// set, four relabellings per sweep. The relabellings are drawn in order
// from rng before any work is shared out, so the result depends on the
// seed but not on GOMAXPROCS.
//
// Test allocates the pooled Gram matrix and the relabellings on each call
// (see TestOptions.MaxPoints for the bytes); it is a one-off test, not part
// of a training loop. It panics if rng is
// nil. It returns an error for the input problems of
// Estimator.Unbiased, a negative option, or a pooled sample larger than
// opts.MaxPoints.
func Test(k Kernel, x, y []float64, dim int, rng *rand.Rand, opts *TestOptions) (TestResult, error) {
	if rng == nil {
		panic("mmd: Test needs a random generator")
	}
	if err := checkKernel(k); err != nil {
		return TestResult{}, err
	}
	if err := checkDim(dim); err != nil {
		return TestResult{}, err
	}
	var o TestOptions
	if opts != nil {
		o = *opts
	}
	if o.Permutations < 0 || o.MaxPoints < 0 {
		return TestResult{}, fmt.Errorf("mmd: negative TestOptions (Permutations %d, MaxPoints %d)", o.Permutations, o.MaxPoints)
	}
	if o.Permutations == 0 {
		o.Permutations = 1000
	}
	if o.MaxPoints == 0 {
		o.MaxPoints = 8192
	}
	if err := checkPoints("x", x, dim, 2); err != nil {
		return TestResult{}, err
	}
	if err := checkPoints("y", y, dim, 2); err != nil {
		return TestResult{}, err
	}
	n, m := len(x)/dim, len(y)/dim
	nn := n + m
	if nn > o.MaxPoints {
		return TestResult{}, fmt.Errorf("mmd: pooled sample of %d points exceeds TestOptions.MaxPoints = %d", nn, o.MaxPoints)
	}
	g, err := newPooledGram(k, x, y, dim)
	if err != nil {
		return TestResult{}, internalPanic(err)
	}

	// Labellings: label[b*nn+i] = 1 if point i goes to the first set.
	// Labelling 0 is the observed one.
	b := o.Permutations
	labels := make([]uint8, (b+1)*nn)
	for i := range n {
		labels[i] = 1
	}
	perm := make([]int, nn)
	for i := range perm {
		perm[i] = i
	}
	for p := 1; p <= b; p++ {
		// Partial Fisher–Yates: the first n entries are a uniform n-subset.
		for i := range n {
			j := i + rng.IntN(nn-i)
			perm[i], perm[j] = perm[j], perm[i]
		}
		row := labels[p*nn : (p+1)*nn]
		for _, v := range perm[:n] {
			row[v] = 1
		}
	}
	stats, err := g.statistics(labels, n, m)
	if err != nil {
		return TestResult{}, internalPanic(err)
	}
	for _, v := range stats {
		if err := checkFinite(v); err != nil {
			return TestResult{}, err
		}
	}
	count := 0
	for _, t := range stats[1:] {
		if t >= stats[0] {
			count++
		}
	}
	return TestResult{
		Statistic:    stats[0],
		PValue:       float64(1+count) / float64(1+b),
		Permutations: b,
	}, nil
}

// pooledGram holds k(z_i, z_j) for i < j of the pooled sample, row i at
// offset i·N − i(i+1)/2, and the row sums.
type pooledGram struct {
	nn   int
	k    []float64
	rows []float64
}

func (g *pooledGram) row(i int) []float64 {
	off := i*g.nn - i*(i+1)/2
	return g.k[off : off+g.nn-i-1]
}

func newPooledGram(k Kernel, x, y []float64, dim int) (*pooledGram, error) {
	z := make([]float64, 0, len(x)+len(y))
	z = append(append(z, x...), y...)
	nn := len(z) / dim
	g := &pooledGram{nn: nn, k: make([]float64, nn*(nn-1)/2), rows: make([]float64, nn)}
	b := &gramRows{g: g, k: k, z: z, dim: dim, buf: make([][]float64, parallel.Workers(nn))}
	var run parallel.Group
	return g, run.Run(nn, b)
}

// gramRows fills the rows of a pooled Gram matrix, one item per row, with
// a kernel-evaluation buffer per worker.
type gramRows struct {
	g   *pooledGram
	k   Kernel
	z   []float64
	dim int
	buf [][]float64
}

func (b *gramRows) Item(w, i int) {
	g, z, dim := b.g, b.z, b.dim
	row := g.row(i)
	zi := z[i*dim : (i+1)*dim]
	for j := range row {
		row[j] = sqDist(zi, z[(i+1+j)*dim:(i+2+j)*dim])
	}
	if b.buf[w] == nil {
		b.buf[w] = make([]float64, 3*g.nn)
	}
	b.k.values(row, b.buf[w][:3*len(row)])
	var s float64
	for _, v := range row {
		s += v
	}
	g.rows[i] = s
}

// statistics returns the unbiased MMD² for each labelling.
func (g *pooledGram) statistics(labels []uint8, n, m int) ([]float64, error) {
	nn := g.nn
	nl := len(labels) / nn
	var total float64
	for _, r := range g.rows {
		total += r
	}
	fn, fm := float64(n), float64(m)
	b := &relabel{g: g, labels: labels, nl: nl, total: total,
		cxx: 2 / (fn * (fn - 1)), cyy: 2 / (fm * (fm - 1)), cxy: -2 / (fn * fm),
		out: make([]float64, nl)}
	groups := (nl + relabelBatch - 1) / relabelBatch
	b.buf = make([][]float64, parallel.Workers(groups))
	var run parallel.Group
	if err := run.Run(groups, b); err != nil {
		return nil, err
	}
	return b.out, nil
}

// relabelBatch is the number of labellings one sweep over the Gram matrix
// serves.
const relabelBatch = 4

// relabel computes the statistics of the labellings, relabelBatch per
// item, with a buffer of relabelBatch indicator rows per worker.
type relabel struct {
	g                    *pooledGram
	labels               []uint8
	nl                   int
	total, cxx, cyy, cxy float64
	out                  []float64
	buf                  [][]float64
}

func (b *relabel) Item(w, q int) {
	const batch = relabelBatch
	g, nn, nl := b.g, b.g.nn, b.nl
	if b.buf[w] == nil {
		b.buf[w] = make([]float64, batch*nn)
	}
	var a [batch][]float64
	lo := q * batch
	cnt := min(batch, nl-lo)
	for p := range batch {
		a[p] = b.buf[w][p*nn : (p+1)*nn]
		src := b.labels[min(lo+p, nl-1)*nn:][:nn]
		for i, v := range src {
			a[p][i] = float64(v)
		}
	}
	var sxx, syy [batch]float64
	for i := range nn - 1 {
		row := g.row(i)
		a0, a1, a2, a3 := a[0][i+1:], a[1][i+1:], a[2][i+1:], a[3][i+1:]
		a0, a1, a2, a3 = a0[:len(row)], a1[:len(row)], a2[:len(row)], a3[:len(row)]
		var s0, s1, s2, s3 float64
		for j, kv := range row {
			s0 += kv * a0[j]
			s1 += kv * a1[j]
			s2 += kv * a2[j]
			s3 += kv * a3[j]
		}
		s := [batch]float64{s0, s1, s2, s3}
		for p := range batch {
			if a[p][i] != 0 {
				sxx[p] += s[p]
			} else {
				syy[p] += g.rows[i] - s[p]
			}
		}
	}
	for p := range cnt {
		sxy := b.total - sxx[p] - syy[p]
		b.out[lo+p] = b.cxx*sxx[p] + b.cyy*syy[p] + b.cxy*sxy
	}
}

// internalPanic wraps a panic recovered on one of the package's worker
// goroutines. No user function runs there, so it is a defect of the
// package, returned as an error rather than left to end the process.
func internalPanic(err error) error {
	return fmt.Errorf("mmd: internal error on a worker goroutine (please report): %w", err)
}
