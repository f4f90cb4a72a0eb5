package kernels

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Gemm sets C = alpha·op(A)·op(B) + beta·C for row-major matrices, where
// op(A) is m×k and op(B) is k×n: op(A) = A when transA is false (A stored
// m×k with row stride lda) and Aᵀ when it is true (A stored k×m); likewise
// op(B) with transB and ldb; C is m×n with row stride ldc. When beta is 0,
// C is overwritten without being read, so NaNs in it do not propagate; when
// alpha is 0 or k is 0, A and B are not read. C must not overlap A or B.
//
// The result does not depend on GOMAXPROCS: work is split over output
// blocks only, and every element is summed over k in the same order.
//
// Gemm panics if a dimension is negative, a stride is smaller than the row
// it strides over, or a slice is too short for its shape.
func Gemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(nil, true, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// GemmSerial is Gemm computed on the calling goroutine alone, with the
// same bits: for callers that already split their work over goroutines,
// where a product that shares itself out again only adds hand-offs.
func GemmSerial(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(nil, false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// A GemmScratch holds the packing buffers and the edge tile of
// GemmSerialIn between calls. Its zero value is ready to use; it grows to
// the largest product it has seen. It must not be used by two goroutines
// at once.
type GemmScratch struct {
	job gemmJob
	ws  workspace
}

// GemmSerialIn is GemmSerial with the scratch space of s instead of the
// package's pooled buffers, which a garbage collection may empty: a
// caller that keeps one GemmScratch per goroutine has products that
// allocate nothing once s has grown. The bits are those of GemmSerial.
func GemmSerialIn(s *GemmScratch, transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	s.job.ws = &s.ws
	gemm(&s.job, false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemm computes the product with the job own, or with one from the pool
// when own is nil.
func gemm(own *gemmJob, share, transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scale(m, n, beta, c, ldc)
		return
	}
	p := path
	if p == PathAVX512 && n <= narrow && !tile8 {
		p = PathAVX2 // the tile before the 8×8 one, for the tests that compare them
	}
	gemmPacked(p, own, share, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// narrow is the width of C up to which PathAVX512 uses its 8×8 tile.
const narrow = 8

func checkGemm(transA, transB bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic("kernels: negative dimension")
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMatrix("A", ar, ac, a, lda)
	checkMatrix("B", br, bc, b, ldb)
	checkMatrix("C", m, n, c, ldc)
}

func checkMatrix(name string, r, c int, s []float64, ld int) {
	if ld < max(c, 1) {
		panic("kernels: stride of " + name + " is smaller than its row length")
	}
	if r > 0 && c > 0 && len(s) < (r-1)*ld+c {
		panic("kernels: slice of " + name + " is too short for its shape")
	}
}

// scale sets C = beta·C, and C = 0 when beta is 0.
func scale(m, n int, beta float64, c []float64, ldc int) {
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		if beta == 1 {
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// gemmRef is the straightforward triple loop, the reference every other
// path is tested against.
func gemmRef(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				var x, y float64
				if transA {
					x = a[p*lda+i]
				} else {
					x = a[i*lda+p]
				}
				if transB {
					y = b[j*ldb+p]
				} else {
					y = b[p*ldb+j]
				}
				s += x * y
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * s
			} else {
				c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
			}
		}
	}
}

// The packed product follows Goto & van de Geijn ("Anatomy of
// high-performance matrix multiplication", ACM TOMS 34(3), 2008) as
// refined in BLIS (Van Zee & van de Geijn, ACM TOMS 41(3), 2015): op(A)
// and op(B) are copied once into panels of mr rows and nr columns, each
// panel cut along k into blocks of at most kcMax, stored so that a
// micro-kernel reads one mr×kc and one kc×nr panel contiguously and keeps
// the mr×nr tile of C in registers. The output is cut into tasks (blocks
// of rows × columns) that goroutines take in any order; an element of C is
// always computed by the same sequence of operations (its k blocks in
// order, each a chain of fused multiply-adds), so neither the number of
// goroutines nor the cut changes its bits.
//
// On PathAVX512 two copies are skipped where the micro-kernel can read an
// operand where it lies, as libxsmm's small-matrix kernels do: full-width
// panels of B when there are few row panels (directRowPanels), and every
// full-height panel of op(A), whose eight rows (or, transposed, eight
// neighbouring values of each k) the kernel broadcasts from in place. An
// 8×kc strip of A stays in L1 while the kernel sweeps the column panels,
// so reading it in place costs no more than reading a packed copy, and
// the copy, a good part of the time of the small products of a training
// step, is gone. Neither changes the arithmetic.
const (
	kcMax     = 256     // k-depth of a packed block: an 8×256 A panel is 16 KiB, in L1
	l2Doubles = 1 << 16 // packed B kept in L2 while A panels stream past it: 512 KiB
	taskFlops = 1 << 21 // about the work of one task
	maxTasks  = 32
	// Below this many flops Gemm runs on the calling goroutine only. A
	// product shared between two cores pays for moving its operands and
	// its result between their caches, and in a training step, where the
	// caller reads the result at once, that costs more than the second
	// core saves until a product reaches tens of megaflops.
	parallelFlops = 1 << 25
	maxMR, maxNR  = 8, 24
	// With at most this many panels of rows of op(A), each panel of B
	// (when not transposed) is read in place by the micro-kernel instead
	// of being packed: it is used too few times for the copy to pay. (Not
	// on PathGo, whose kernel indexes a packed panel more cheaply.)
	directRowPanels = 16
)

// tileOf returns the register tile of the micro-kernel of path p.
func tileOf(p Path) (mr, nr int) {
	switch p {
	case PathAVX512:
		return 8, 24
	case PathAVX2:
		return 6, 8
	}
	return 4, 4
}

// A gemmJob is one call of the packed product, shared by the goroutines
// that work on it.
type gemmJob struct {
	path           Path
	mr, nr         int
	transA, transB bool
	m, n, k        int
	alpha, beta    float64
	a, b, c        []float64
	lda, ldb, ldc  int

	direct         bool       // full-width panels of B are read in place, not packed
	inplaceA       bool       // full-height panels of op(A) are read in place, not packed
	kc             int        // depth of every k block but possibly the last
	nk             int        // number of k blocks
	rowP, colP     int        // panels of op(A) and op(B)
	ap, bp         []float64  // packed op(A) and op(B), in bufA and bufB
	bufA, bufB     []float64  // kept with the job from call to call
	ws             *workspace // the edge tile of a GemmScratch's job (serial); nil: one from the pool
	stepR, stepC   int        // panels per task, rows and columns
	rowT, colT     int        // tasks along rows and columns
	nextPack, next atomic.Int64
	packed         atomic.Int64 // panels packed so far
	// state holds jobOpen while the caller accepts helpers, and the
	// number of helpers working on the job.
	state atomic.Int64
	seq   atomic.Int64 // the number dispatch gave the call
}

const jobOpen = 1 << 40

// workspace is one goroutine's scratch: the tile of an edge of C.
type workspace struct {
	tmp [maxMR * maxNR]float64
}

var (
	jobPool = sync.Pool{New: func() any { return new(gemmJob) }}
	wsPool  = sync.Pool{New: func() any { return new(workspace) }}
)

func gemmPacked(p Path, own *gemmJob, share, transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	j := own
	if j == nil {
		j = jobPool.Get().(*gemmJob)
	}
	mr, nr := tileOf(p)
	if p == PathAVX512 {
		switch {
		case n <= narrow && tile8:
			nr = 8
		case tile16 && padding(n, 16) < padding(n, 24):
			nr = 16
		}
	}
	j.path, j.mr, j.nr = p, mr, nr
	j.transA, j.transB = transA, transB
	j.m, j.n, j.k = m, n, k
	j.alpha, j.beta = alpha, beta
	j.a, j.b, j.c = a, b, c
	j.lda, j.ldb, j.ldc = lda, ldb, ldc
	j.nk = (k + kcMax - 1) / kcMax
	j.kc = (k + j.nk - 1) / j.nk
	j.rowP, j.colP = (m+mr-1)/mr, (n+nr-1)/nr
	j.ap = grow(&j.bufA, j.rowP*mr*k)
	j.bp = grow(&j.bufB, j.colP*nr*k)
	j.direct = !transB && p != PathGo && j.rowP <= directRowPanels
	j.inplaceA = p == PathAVX512 && aInPlace
	j.plan()
	j.nextPack.Store(0)
	j.next.Store(0)
	j.packed.Store(0)

	tasks := j.rowT * j.colT
	helpers := 0
	if share && 2*float64(m)*float64(n)*float64(k) >= parallelFlops {
		helpers = min(runtime.GOMAXPROCS(0), tasks, maxWorkers) - 1
	}
	j.state.Store(jobOpen)
	if helpers > 0 {
		dispatch(j, helpers)
	}
	j.run()
	// Close the job to helpers that have not joined yet (they may be
	// slow to be scheduled, and there is nothing left to do) and wait for
	// those inside, who are finishing their last task.
	j.state.Add(-jobOpen)
	for j.state.Load() != 0 {
		spin()
	}

	j.a, j.b, j.c, j.ap, j.bp = nil, nil, nil, nil, nil
	if own == nil {
		jobPool.Put(j)
	}
}

// padding is the number of columns a width n leaves empty in tiles w wide.
// The micro-kernels compute every column of a tile, so this is wasted
// work: the 8×16 tile of PathAVX512 takes widths it pads less than the
// 8×24 one (128 and 256 not at all, where the 8×24 tile wastes one column
// in nine or in 33), which costs nothing in the bits, since every element
// is the same chain of operations whatever the tile.
func padding(n, w int) int { return (w - n%w) % w }

// tile16 and tile8 let PathAVX512 use its 8×16 and 8×8 tiles (else the
// 8×24 one, and the AVX2 6×8 one for widths up to narrow); tests turn
// them off to check that every tile gives the same bits.
var tile16, tile8 = true, true

// aInPlace lets PathAVX512 read full panels of op(A) in place; tests turn
// it off to check that both ways give the same bits.
var aInPlace = true

func grow(buf *[]float64, n int) []float64 {
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	return (*buf)[:n]
}

// plan cuts the output into tasks from the shape and the tile alone:
// blocks of at most 64 rows, then rows or columns halved, whichever block
// side is longer, until there are enough tasks to balance the goroutines.
func (j *gemmJob) plan() {
	want := int(min(max(2*float64(j.m)*float64(j.n)*float64(j.k)/taskFlops, 1), maxTasks))
	j.stepR = min(j.rowP, max(64/j.mr, 1))
	j.stepC = j.colP
	for {
		j.rowT = (j.rowP + j.stepR - 1) / j.stepR
		j.colT = (j.colP + j.stepC - 1) / j.stepC
		if j.rowT*j.colT >= want || (j.stepR == 1 && j.stepC == 1) {
			return
		}
		if (j.stepC*j.nr >= j.stepR*j.mr && j.stepC > 1) || j.stepR == 1 {
			j.stepC = (j.stepC + 1) / 2
		} else {
			j.stepR = (j.stepR + 1) / 2
		}
	}
}

// run packs panels until none is left, waits until all are packed, then
// computes tasks until none is left.
func (j *gemmJob) run() {
	for {
		t := int(j.nextPack.Add(1) - 1)
		if t >= j.rowP+j.colP {
			break
		}
		if t < j.rowP {
			j.packA(t)
		} else {
			j.packB(t - j.rowP)
		}
		j.packed.Add(1)
	}
	for int(j.packed.Load()) < j.rowP+j.colP {
		spin()
	}
	ws := j.ws
	if ws == nil {
		ws = wsPool.Get().(*workspace)
		defer wsPool.Put(ws)
	}
	for {
		t := int(j.next.Add(1) - 1)
		if t >= j.rowT*j.colT {
			break
		}
		j.task(ws, t/j.colT, t%j.colT)
	}
}

// blockOf returns the first row and the depth of k block q.
func (j *gemmJob) blockOf(q int) (p0, kc int) {
	p0 = q * j.kc
	return p0, min(j.kc, j.k-p0)
}

// packA copies rows ip·mr… of op(A), zero-padded to mr, into the panel
// of each k block: element (i, p) of block q at q·kc·mr·rowP + ip·kcq·mr + p·mr + i.
func (j *gemmJob) packA(ip int) {
	mr, lda := j.mr, j.lda
	i0 := ip * mr
	rows := min(mr, j.m-i0)
	if j.inplaceA && rows == mr {
		return
	}
	for q := range j.nk {
		p0, kc := j.blockOf(q)
		dst := j.ap[p0*j.rowP*mr+ip*kc*mr:][:kc*mr]
		if j.transA {
			packRows(dst, mr, j.a[p0*lda+i0:], lda, rows, kc)
		} else {
			packCols(dst, mr, j.a[i0*lda+p0:], lda, rows, kc)
		}
	}
}

// packB copies columns jp·nr… of op(B), zero-padded to nr, as packA does,
// unless the kernel reads them in place.
func (j *gemmJob) packB(jp int) {
	nr, ldb := j.nr, j.ldb
	c0 := jp * nr
	cols := min(nr, j.n-c0)
	if j.direct && cols == nr {
		return
	}
	for q := range j.nk {
		p0, kc := j.blockOf(q)
		dst := j.bp[p0*j.colP*nr+jp*kc*nr:][:kc*nr]
		if j.transB {
			packCols(dst, nr, j.b[c0*ldb+p0:], ldb, cols, kc)
		} else {
			packRows(dst, nr, j.b[p0*ldb+c0:], ldb, cols, kc)
		}
	}
}

// packRows sets dst[p·w+c] = src[p·ld+c] for p < kc and c < cols, and 0
// for cols ≤ c < w. Whole rows of the tile widths are moved as arrays,
// which the compiler turns into vector moves instead of a call to copy.
func packRows(dst []float64, w int, src []float64, ld, cols, kc int) {
	if cols == w {
		switch w {
		case 24:
			for p := range kc {
				*(*[24]float64)(dst[p*24:]) = *(*[24]float64)(src[p*ld:])
			}
			return
		case 16:
			for p := range kc {
				*(*[16]float64)(dst[p*16:]) = *(*[16]float64)(src[p*ld:])
			}
			return
		case 8:
			for p := range kc {
				*(*[8]float64)(dst[p*8:]) = *(*[8]float64)(src[p*ld:])
			}
			return
		case 6:
			for p := range kc {
				*(*[6]float64)(dst[p*6:]) = *(*[6]float64)(src[p*ld:])
			}
			return
		case 4:
			for p := range kc {
				*(*[4]float64)(dst[p*4:]) = *(*[4]float64)(src[p*ld:])
			}
			return
		}
	}
	for p := range kc {
		d := dst[p*w : p*w+w]
		copy(d, src[p*ld:p*ld+cols])
		clear(d[cols:])
	}
}

// packCols sets dst[p·w+r] = src[r·ld+p] for p < kc and r < rows, and 0
// for rows ≤ r < w: a transposing copy, eight rows at a time in vector
// registers on the AVX-512 path, and otherwise four source rows at a time
// so that each step writes four neighbouring values.
func packCols(dst []float64, w int, src []float64, ld, rows, kc int) {
	if rows < w {
		clear(dst[:kc*w])
	}
	r := packColsVector(dst, w, src, ld, rows, kc)
	for ; r+3 < rows; r += 4 {
		s0 := src[r*ld:][:kc]
		s1 := src[(r+1)*ld:][:kc]
		s2 := src[(r+2)*ld:][:kc]
		s3 := src[(r+3)*ld:][:kc]
		for p := range kc {
			d := dst[p*w+r:][:4]
			d[0], d[1], d[2], d[3] = s0[p], s1[p], s2[p], s3[p]
		}
	}
	for ; r < rows; r++ {
		s := src[r*ld:][:kc]
		for p, v := range s {
			dst[p*w+r] = v
		}
	}
}

// task computes the block of C of row panels rt·stepR… and column panels
// ct·stepC…: for each k block, the B panels in chunks that stay in L2,
// each chunk against every A panel of the block.
func (j *gemmJob) task(ws *workspace, rt, ct int) {
	mr, nr := j.mr, j.nr
	ip0, ip1 := rt*j.stepR, min(j.rowP, (rt+1)*j.stepR)
	jp0, jp1 := ct*j.stepC, min(j.colP, (ct+1)*j.stepC)
	for q := range j.nk {
		p0, kc := j.blockOf(q)
		beta, useBeta := 1.0, true
		if q == 0 {
			beta, useBeta = j.beta, j.beta != 0
		}
		aq := j.ap[p0*j.rowP*mr:]
		bq := j.bp[p0*j.colP*nr:]
		chunk := max(1, l2Doubles/(kc*nr))
		for c0 := jp0; c0 < jp1; c0 += chunk {
			c1 := min(jp1, c0+chunk)
			for ip := ip0; ip < ip1; ip++ {
				a, lda := aq[ip*kc*mr:][:kc*mr], 0
				i0 := ip * mr
				rows := min(mr, j.m-i0)
				if j.inplaceA && rows == mr {
					if j.transA {
						a = j.a[p0*j.lda+i0:]
					} else {
						a = j.a[i0*j.lda+p0:]
					}
					lda = j.lda
				}
				for jp := c0; jp < c1; jp++ {
					b, ldb := bq[jp*kc*nr:][:kc*nr], nr
					col := jp * nr
					cols := min(nr, j.n-col)
					if j.direct && cols == nr {
						b, ldb = j.b[p0*j.ldb+col:], j.ldb
					}
					if rows == mr && cols == nr {
						j.kernel(kc, a, lda, b, ldb, j.c[i0*j.ldc+col:], j.ldc, beta, useBeta)
						continue
					}
					// An edge tile: computed whole into scratch, then the
					// part inside C merged by the kernel's own last step.
					t := ws.tmp[:mr*nr]
					j.kernel(kc, a, lda, b, ldb, t, nr, 0, false)
					for r := range rows {
						crow := j.c[(i0+r)*j.ldc+col:][:cols]
						trow := t[r*nr:][:cols]
						if useBeta {
							for x, v := range trow {
								crow[x] = math.FMA(beta, crow[x], v)
							}
						} else {
							copy(crow, trow)
						}
					}
				}
			}
		}
	}
}

// kernel runs the micro-kernel of the job's path: the mr×nr tile
// c = alpha·a·b, plus beta·c (one rounding) when useBeta; a is a packed
// panel when lda is 0 and otherwise op(A) in place, lda apart.
func (j *gemmJob) kernel(kc int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, beta float64, useBeta bool) {
	switch j.path {
	case PathAVX512:
		if lda != 0 {
			kernelAVX512InPlace(j.nr, j.transA, kc, a, lda, b, ldb, c, ldc, j.alpha, beta, useBeta)
			return
		}
		kernelAVX512(j.nr, kc, a, b, ldb, c, ldc, j.alpha, beta, useBeta)
	case PathAVX2:
		kernelAVX2(kc, a, b, ldb, c, ldc, j.alpha, beta, useBeta)
	default: // never direct: b is a packed panel
		kernelGo(kc, a, b, c, ldc, j.alpha, beta, useBeta)
	}
}

// The pool of helper goroutines. They live as long as the process and
// wait on a channel, so that a call in steady state starts no goroutine
// and allocates nothing. Waking a parked goroutine on an idle processor
// can take longer than a product of a training step (a sleeping thread
// must be woken), so a helper that has finished a job watches for the next
// one for spinWait before it parks again, as the thread teams of OpenMP
// runtimes and OpenBLAS do: in a training loop, whose products follow one
// another closely, the helpers never sleep.
const (
	maxWorkers = 256
	spinWait   = time.Millisecond
)

var workers struct {
	mu sync.Mutex
	n  int
	ch chan *gemmJob
	// offer is the job of the newest call that asked for helpers, and seq
	// numbers those calls; spinning counts the helpers watching offer.
	offer    atomic.Pointer[gemmJob]
	seq      atomic.Int64
	spinning atomic.Int32
}

// dispatch offers j to up to helpers goroutines: those watching for work,
// then as many parked ones as are still wanted. The caller works on j too,
// so any number of them joining is correct.
func dispatch(j *gemmJob, helpers int) {
	workers.mu.Lock()
	if workers.ch == nil {
		workers.ch = make(chan *gemmJob, maxWorkers)
	}
	for workers.n < helpers {
		workers.n++
		go worker(workers.ch)
	}
	workers.mu.Unlock()
	j.seq.Store(workers.seq.Add(1))
	workers.offer.Store(j)
	for range helpers - int(workers.spinning.Load()) {
		select {
		case workers.ch <- j:
		default:
		}
	}
}

// worker helps with the jobs it is offered. An offer can arrive after
// its call has finished and the job has gone back to the pool or on to
// another call: join then fails, or the worker helps the call that holds
// the job now, which is as correct.
func worker(ch <-chan *gemmJob) {
	for j := range ch {
		last := j.help(0)
		workers.spinning.Add(1)
		for t0 := time.Now(); time.Since(t0) < spinWait; {
			if o := workers.offer.Load(); o != nil && o.seq.Load() != last {
				if s := o.help(last); s != last {
					last = s
					t0 = time.Now()
					continue
				}
			}
			runtime.Gosched()
		}
		workers.spinning.Add(-1)
	}
}

// help works on j if it is open, and returns the number of the call it
// helped, or last if it could not join.
func (j *gemmJob) help(last int64) int64 {
	if !j.join() {
		return last
	}
	s := j.seq.Load()
	j.run()
	j.state.Add(-1)
	return s
}

// spin is one round of waiting for the other goroutines of a job: the
// packing of a panel or a last task, tens of microseconds at most. Parking
// instead (a WaitGroup, a channel) costs a wake-up of the sleeping thread
// at each of the two meeting points of every product, which on a
// virtual machine can take longer than the product itself; yielding
// keeps any other goroutine of this processor running meanwhile.
func spin() { runtime.Gosched() }

// join counts the calling helper in if the job is open.
func (j *gemmJob) join() bool {
	for {
		s := j.state.Load()
		if s&jobOpen == 0 {
			return false
		}
		if j.state.CompareAndSwap(s, s+1) {
			return true
		}
	}
}
