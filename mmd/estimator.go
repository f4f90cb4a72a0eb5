package mmd

import (
	"fmt"
	"math"

	"github.com/variate/variate/internal/kernels"
	"github.com/variate/variate/internal/parallel"
)

// Options tunes an Estimator. The zero value (or a nil *Options) means the
// defaults documented on each field.
type Options struct {
	// Block is the number of points on each side of the square tiles that
	// the quadratic estimators compute one at a time. Zero means 256 below
	// dimension 32, where tiles of distances are cheap and the cost is the
	// kernel, and 128 from dimension 32 on, where a tile's inner products
	// and gradient sums are matrix products, large enough for the shared
	// GEMM to run at speed and small enough to stay in cache. At most
	// 1024. The tiling fixes the order of every sum, so results depend on
	// Block (to rounding) but never on GOMAXPROCS.
	Block int
}

// gemmDim is the dimension from which squared distances are formed as
// ‖a‖² + ‖b‖² − 2a·b (clamped at 0) from a tile of inner products, the
// route that scales with the dimension; below it they are summed directly,
// which is exact to rounding even for nearly coincident points.
const gemmDim = 32

// maxBlock bounds Options.Block, and so the per-goroutine tile buffer.
const maxBlock = 1024

// An Estimator computes MMD² estimates and their gradients for one kernel
// and dimension, keeping the workspace (tile buffers, per-tile partial
// sums, squared norms) between calls so that, once it has seen the largest
// sizes it will be given, a call allocates nothing.
//
// The quadratic estimators split the pairs into square tiles, the
// within-set ones only on and above the diagonal (each unordered pair is
// evaluated once), and spread the tiles over GOMAXPROCS goroutines. No
// n×m matrix is ever held: a worker holds one tile. Each tile's sum goes
// into its own slot and the slots are added in a fixed order, so a result
// is the same bit for bit whatever GOMAXPROCS is (on one machine: with
// and without AVX2 the last bits can differ). The gradients keep this
// property by giving each row of the gradient a fixed order of updates:
// the cross tiles of a row block are processed in order by one goroutine,
// then the within-set tiles in rounds of a round-robin schedule in which
// no two tiles of a round touch the same row block.
//
// The trade-off of the reusable workspace is that an Estimator is not safe
// for concurrent use (use one per goroutine) and holds its buffers until
// it is dropped; the package-level functions Unbiased, Biased and Linear
// create one per call for convenience.
//
// Gaussian kernels are evaluated a tile row at a time, with an
// exponential accurate to 2 ulp (AVX2 and FMA when the processor has them,
// a table-driven scalar one otherwise). Bandwidths whose values of 1/σ²
// are integer multiples, up to 32, of another's derive their exponential
// from it by integer powers, which costs up to 32 times that error (below
// 1.5e−14 relative per kernel value): the six bandwidths 0.02, 0.05, 0.1,
// 0.2, 0.5, 1 need two exponentials per pair. Exponents are clamped at
// −708 so that no subnormal number is ever formed; a kernel value below
// e^−708 ≈ 3.3e−308 comes out as some value in [0, 3.3e−308].
type Estimator struct {
	k     Kernel
	dim   int
	block int
	gemm  bool

	// per call
	x, y           []float64
	n, m           int
	grad           []float64
	cxx, cxy       float64
	normX, normY   []float64
	xt, yt         []float64 // the points as columns (direct route): coordinate k of point j at k·n+j
	gt             []float64 // the within-x gradient terms of the later points, as columns
	tasks          []task
	partial        []float64
	sizedN, sizedM int
	sizedGrad      bool
	roundStart     []int // XX tiles of round r are tasks[roundStart[r]:roundStart[r+1]]
	work           []*scratch
	run            parallel.Group
	body           tileBody
}

type taskKind uint8

const (
	kXX taskKind = iota
	kYY
	kXY
	kXYRow // all cross tiles of one row block, in order (gradient pass)
)

type task struct {
	kind   taskKind
	bi, bj int32
}

type scratch struct {
	r2  []float64
	buf []float64 // kernel evaluation scratch, 3 rows
	g   []float64 // inner products, then weights, of one tile (gemm route)
	gt  []float64 // the column sums of a tile's weights (gradient of a within-x tile)
	mm  kernels.GemmScratch
}

// NewEstimator returns an Estimator for kernel k on points of dimension
// dim. It returns an error if k is the zero Kernel, dim is not positive or
// opts.Block is negative.
func NewEstimator(k Kernel, dim int, opts *Options) (*Estimator, error) {
	if err := checkKernel(k); err != nil {
		return nil, err
	}
	if err := checkDim(dim); err != nil {
		return nil, err
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Block < 0 || o.Block > maxBlock {
		return nil, fmt.Errorf("mmd: Options.Block = %d is outside [0, %d]", o.Block, maxBlock)
	}
	e := &Estimator{k: k, dim: dim, gemm: dim >= gemmDim, block: o.Block, sizedN: -1}
	if e.block == 0 {
		e.block = 256
		if e.gemm {
			e.block = 128
		}
	}
	e.body.e = e
	return e, nil
}

// Kernel returns the estimator's kernel.
func (e *Estimator) Kernel() Kernel { return e.k }

// Dim returns the dimension of the points.
func (e *Estimator) Dim() int { return e.dim }

// Unbiased returns the unbiased estimate of MMD² between the distributions
// of the point sets x (n points) and y (m points), each stored row after
// row (Gretton et al., "A kernel two-sample test", JMLR 2012, eq. 3):
//
//	MMD²_u = Σ_{i≠j} k(xi,xj)/(n(n−1)) + Σ_{i≠j} k(yi,yj)/(m(m−1)) − 2 Σ_{i,j} k(xi,yj)/(nm).
//
// It can be negative when the distributions agree. Each set needs at
// least 2 points; a length that is not a multiple of the dimension or a
// NaN or infinite coordinate is an error naming the entry.
func (e *Estimator) Unbiased(x, y []float64) (float64, error) {
	return e.quadratic(x, y, nil, true)
}

// UnbiasedGrad returns Unbiased(x, y) and writes into grad (same length as
// x) its gradient with respect to the coordinates of x. It panics if
// len(grad) != len(x).
func (e *Estimator) UnbiasedGrad(x, y, grad []float64) (float64, error) {
	e.checkGrad(x, grad)
	return e.quadratic(x, y, grad, true)
}

// Biased returns the biased (V-statistic) estimate of MMD², the squared
// distance between the two empirical kernel mean embeddings
// (Gretton et al. 2012, eq. 5): the same sums as Unbiased with the
// diagonal terms included and divided by n² and m². It is never negative
// for a positive definite kernel. Each set needs at least 1 point.
func (e *Estimator) Biased(x, y []float64) (float64, error) {
	return e.quadratic(x, y, nil, false)
}

// BiasedGrad returns Biased(x, y) and writes its gradient with respect to
// x into grad. It panics if len(grad) != len(x).
func (e *Estimator) BiasedGrad(x, y, grad []float64) (float64, error) {
	e.checkGrad(x, grad)
	return e.quadratic(x, y, grad, false)
}

func (e *Estimator) checkGrad(x, grad []float64) {
	if len(grad) != len(x) {
		panic(fmt.Sprintf("mmd: len(grad) = %d, want len(x) = %d", len(grad), len(x)))
	}
}

func (e *Estimator) quadratic(x, y, grad []float64, unbiased bool) (float64, error) {
	minPoints := 1
	if unbiased {
		minPoints = 2
	}
	if err := checkPoints("x", x, e.dim, minPoints); err != nil {
		return 0, err
	}
	if err := checkPoints("y", y, e.dim, minPoints); err != nil {
		return 0, err
	}
	n, m := len(x)/e.dim, len(y)/e.dim
	fn, fm := float64(n), float64(m)
	var cxx, cyy float64
	if unbiased {
		cxx, cyy = 2/(fn*(fn-1)), 2/(fm*(fm-1))
	} else {
		cxx, cyy = 2/(fn*fn), 2/(fm*fm)
	}
	e.x, e.y, e.n, e.m, e.grad = x, y, n, m, grad
	e.cxx, e.cxy = cxx, -2/(fn*fm)
	if err := e.prepare(grad != nil); err != nil {
		e.release()
		return 0, internalPanic(err)
	}

	var sxx, syy, sxy float64
	for t, tk := range e.tasks {
		switch tk.kind {
		case kXX:
			sxx += e.partial[t]
		case kYY:
			syy += e.partial[t]
		default:
			sxy += e.partial[t]
		}
	}
	v := cxx*sxx + cyy*syy + e.cxy*sxy
	if !unbiased {
		v += e.k.radialZero() * (1/fn + 1/fm)
	}
	e.release()
	if err := checkFinite(v); err != nil {
		return 0, err
	}
	return v, nil
}

// release drops the references to the caller's slices.
func (e *Estimator) release() {
	e.x, e.y, e.grad = nil, nil, nil
	if e.dim == 1 {
		e.xt, e.yt = nil, nil
	}
}

// checkFinite reports a value made non-finite by coordinates so large
// that their squared distances overflow.
func checkFinite(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("mmd: the estimate is %v: squared distances overflow; rescale the points", v)
	}
	return nil
}

// radialZero returns k(x, x).
func (k Kernel) radialZero() float64 {
	switch k.kind {
	case kindGaussian:
		return float64(len(k.rates))
	case kindIMQ:
		return 1
	}
	return 0
}

// prepare builds the task list for the current sizes (reusing its memory)
// and runs it.
func (e *Estimator) prepare(withGrad bool) error {
	bs := e.block
	tx, ty := (e.n+bs-1)/bs, (e.m+bs-1)/bs
	if e.sizedN != e.n || e.sizedM != e.m || e.sizedGrad != withGrad {
		e.tasks = e.tasks[:0]
		e.roundStart = e.roundStart[:0]
		for i := range ty {
			for j := i; j < ty; j++ {
				e.tasks = append(e.tasks, task{kYY, int32(i), int32(j)})
			}
		}
		if withGrad {
			for i := range tx {
				e.tasks = append(e.tasks, task{kXYRow, int32(i), 0})
			}
			e.appendRounds(tx)
		} else {
			for i := range tx {
				for j := range ty {
					e.tasks = append(e.tasks, task{kXY, int32(i), int32(j)})
				}
			}
			for i := range tx {
				for j := i; j < tx; j++ {
					e.tasks = append(e.tasks, task{kXX, int32(i), int32(j)})
				}
			}
		}
		e.partial = grow(e.partial, len(e.tasks))
		e.sizedN, e.sizedM, e.sizedGrad = e.n, e.m, withGrad
	}
	if e.gemm {
		e.normX = grow(e.normX, e.n)
		e.normY = grow(e.normY, e.m)
		sqNorms(e.x, e.dim, e.normX)
		sqNorms(e.y, e.dim, e.normY)
	}
	if !e.gemm {
		e.xt = columns(e.x, e.dim, e.xt)
		e.yt = columns(e.y, e.dim, e.yt)
	}
	if !withGrad {
		return e.parallel(e.tasks, 0)
	}
	if !e.gemm {
		e.gt = grow(e.gt, e.n*e.dim)
		clear(e.gt)
	}
	first := e.roundStart[0]
	if err := e.parallel(e.tasks[:first], 0); err != nil {
		return err
	}
	for r := 0; r+1 < len(e.roundStart); r++ {
		lo, hi := e.roundStart[r], e.roundStart[r+1]
		if err := e.parallel(e.tasks[lo:hi], lo); err != nil {
			return err
		}
	}
	if !e.gemm {
		d := e.dim
		for k := range d {
			col := e.gt[k*e.n : (k+1)*e.n]
			for i, v := range col {
				e.grad[i*d+k] += v
			}
		}
	}
	return nil
}

// columns returns the n points of dimension d stored row after row in p
// as d columns of n values, in buf's memory when it is large enough; for
// d = 1 the rows are the column, and p itself is returned.
func columns(p []float64, d int, buf []float64) []float64 {
	if d == 1 {
		return p
	}
	n := len(p) / d
	buf = grow(buf, len(p))
	for k := range d {
		col := buf[k*n : (k+1)*n]
		for i := range col {
			col[i] = p[i*d+k]
		}
	}
	return buf
}

// appendRounds appends the within-x tiles in rounds of a round-robin
// tournament (the circle method): in each round every row block appears in
// at most one tile, so the tiles of a round update disjoint gradient rows.
// The diagonal tiles form the last round.
func (e *Estimator) appendRounds(t int) {
	tp := t + t%2 // with t odd, block t is a bye
	for r := range tp - 1 {
		e.roundStart = append(e.roundStart, len(e.tasks))
		pair := func(a, b int) {
			if a == t || b == t {
				return
			}
			e.tasks = append(e.tasks, task{kXX, int32(min(a, b)), int32(max(a, b))})
		}
		pair(tp-1, r)
		for q := 1; q < tp/2; q++ {
			pair((r+q)%(tp-1), (r-q+tp-1)%(tp-1))
		}
	}
	e.roundStart = append(e.roundStart, len(e.tasks))
	for i := range t {
		e.tasks = append(e.tasks, task{kXX, int32(i), int32(i)})
	}
	e.roundStart = append(e.roundStart, len(e.tasks))
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func sqNorms(p []float64, d int, dst []float64) {
	for i := range dst {
		row := p[i*d : (i+1)*d]
		var s float64
		for _, v := range row {
			s += v * v
		}
		dst[i] = s
	}
}

// tileBody is the work of one parallel pass: task t's sum goes to
// e.partial[base+t], computed with the scratch of the worker that runs it.
type tileBody struct {
	e     *Estimator
	tasks []task
	base  int
}

func (b *tileBody) Item(w, t int) {
	e := b.e
	e.partial[b.base+t] = e.runTask(e.work[w], b.tasks[t])
}

// parallel runs tasks on up to GOMAXPROCS goroutines, the caller's
// included; task t's sum goes to e.partial[base+t].
func (e *Estimator) parallel(tasks []task, base int) error {
	nw := parallel.Workers(len(tasks))
	if nw == 0 {
		return nil
	}
	for len(e.work) < nw {
		bs := e.block
		w := &scratch{r2: make([]float64, bs), buf: make([]float64, 3*bs)}
		if e.gemm {
			w.g = make([]float64, bs*bs)
		}
		e.work = append(e.work, w)
	}
	if e.gemm && e.grad != nil {
		for _, w := range e.work[:nw] {
			if w.gt == nil {
				w.gt = make([]float64, e.block)
			}
		}
	}
	e.body.tasks, e.body.base = tasks, base
	err := e.run.Run(len(tasks), &e.body)
	e.body.tasks = nil
	return err
}

func (e *Estimator) runTask(w *scratch, t task) float64 {
	if t.kind != kXYRow {
		return e.tile(w, t.kind, int(t.bi), int(t.bj))
	}
	bs, d := e.block, e.dim
	i0, i1 := int(t.bi)*bs, min(int(t.bi+1)*bs, e.n)
	clear(e.grad[i0*d : i1*d])
	var s float64
	for bj := range (e.m + bs - 1) / bs {
		s += e.tile(w, kXY, int(t.bi), bj)
	}
	return s
}
