package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// forEachPath runs f once per implementation this machine supports.
func forEachPath(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, p := range Paths() {
		t.Run(p.String(), func(t *testing.T) {
			defer SetPath(p)()
			f(t)
		})
	}
}

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 2*rng.Float64() - 1
	}
	return s
}

// gemmCase is one call with its storage; the strides may exceed the rows.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float64
	lda, ldb, ldc  int
	a, b, c        []float64
}

func newCase(rng *rand.Rand, transA, transB bool, m, n, k, pad int, alpha, beta float64) gemmCase {
	g := gemmCase{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	g.lda, g.ldb, g.ldc = max(ac, 1)+pad, max(bc, 1)+pad, max(n, 1)+pad
	g.a = randSlice(rng, ar*g.lda)
	g.b = randSlice(rng, br*g.ldb)
	g.c = randSlice(rng, m*g.ldc)
	return g
}

// check runs Gemm on a copy of C and compares every element with the
// triple loop within the error bound of a k-term sum, and every element
// of the strides' padding with what was there.
func (g gemmCase) check(t *testing.T) {
	t.Helper()
	got := append([]float64(nil), g.c...)
	want := append([]float64(nil), g.c...)
	Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, got, g.ldc)
	gemmRef(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, want, g.ldc)
	// |error| ≤ (k+2)·ε·(|alpha|·Σ|a||b| + |beta·c|), with room for the
	// reference's own error; the entries are at most 1 in magnitude.
	tol := 2 * float64(g.k+2) * 0x1p-52 * (math.Abs(g.alpha)*float64(g.k) + math.Abs(g.beta))
	for i := range g.m {
		for j := range g.ldc {
			x := i*g.ldc + j
			if j >= g.n {
				require.Equal(t, g.c[x], got[x], "padding of C at (%d, %d) written", i, j)
				continue
			}
			if math.Abs(got[x]-want[x]) > tol || math.IsNaN(got[x]) {
				t.Fatalf("%+v: C[%d,%d] = %v, reference %v (tolerance %.3g)", g.shape(), i, j, got[x], want[x], tol)
			}
		}
	}
}

func (g gemmCase) shape() string {
	return fmt.Sprintf("transA=%v transB=%v m=%d n=%d k=%d alpha=%v beta=%v lda=%d ldb=%d ldc=%d",
		g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.beta, g.lda, g.ldb, g.ldc)
}

var variants = []struct {
	name           string
	transA, transB bool
}{{"NN", false, false}, {"NT", false, true}, {"TN", true, false}, {"TT", true, true}}

// Every shape up to 37×37 — edges of every tile size against every path —
// with depths that cross no block, and padded strides.
func TestGemmOddShapes(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, v := range variants {
			for m := 1; m <= 37; m++ {
				for n := 1; n <= 37; n++ {
					k := 1 + (7*m+3*n)%29
					pad := (m + n) % 3
					newCase(rng, v.transA, v.transB, m, n, k, pad, 1, 0).check(t)
				}
			}
		}
	})
}

// Depths over several k blocks, sizes that run in parallel, and every
// combination of alpha and beta, with padded strides.
func TestGemmLarge(t *testing.T) {
	shapes := [][3]int{{70, 100, 600}, {129, 47, 257}, {8, 24, 513}, {200, 130, 90}}
	if testing.Short() {
		shapes = shapes[:2]
	}
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, v := range variants {
			for i, s := range shapes {
				for _, ab := range [][2]float64{{1, 0}, {-0.5, 1}, {2.5, -1.5}} {
					newCase(rng, v.transA, v.transB, s[0], s[1], s[2], i%2*5, ab[0], ab[1]).check(t)
				}
			}
		}
	})
}

// beta = 0 overwrites C without reading it: NaNs there do not come out.
// beta ≠ 0 does read it, so they do.
func TestGemmBetaZeroOverwritesNaN(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, s := range [][3]int{{3, 5, 4}, {16, 48, 300}, {100, 90, 80}} {
			g := newCase(rng, false, true, s[0], s[1], s[2], 0, 1.5, 0)
			for i := range g.c {
				g.c[i] = math.NaN()
			}
			g.check(t)
			c := append([]float64(nil), g.c...)
			Gemm(false, true, g.m, g.n, g.k, 1, g.a, g.lda, g.b, g.ldb, 0.5, c, g.ldc)
			assert.True(t, math.IsNaN(c[0]), "beta = 0.5 must propagate the NaN in C")
		}
	})
}

// With k = 0 or alpha = 0, C = beta·C and A and B are not read (they may
// hold NaNs).
func TestGemmEmptyDepth(t *testing.T) {
	c := []float64{1, 2, 3, 4, 5, 6}
	Gemm(false, false, 2, 3, 0, 1, nil, 1, nil, 3, 2, c, 3)
	assert.Equal(t, []float64{2, 4, 6, 8, 10, 12}, c)
	Gemm(false, false, 2, 3, 0, 1, nil, 1, nil, 3, 0, c, 3)
	assert.Equal(t, []float64{0, 0, 0, 0, 0, 0}, c)
	nan := math.NaN()
	c = []float64{1, 2, 3, 4, 5, 6}
	Gemm(false, false, 2, 3, 1, 0, []float64{nan, nan}, 1, []float64{nan, nan, nan}, 3, -1, c, 3)
	assert.Equal(t, []float64{-1, -2, -3, -4, -5, -6}, c)
	Gemm(false, false, 0, 3, 4, 1, nil, 4, make([]float64, 12), 3, 0, nil, 3)
}

// A small known product, so that a wrong transpose convention in both the
// packed path and the reference cannot pass.
func TestGemmKnownValues(t *testing.T) {
	a := []float64{1, 2, 3, 4, 5, 6}    // 2×3
	b := []float64{7, 8, 9, 10, 11, 12} // 3×2
	forEachPath(t, func(t *testing.T) {
		c := make([]float64, 4)
		Gemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
		assert.Equal(t, []float64{58, 64, 139, 154}, c)
		// Aᵀ·Aᵀᵀ: A stored 2×3 read as op(A) = Aᵀ (3×2) times op(B) = A (2×3).
		c = make([]float64, 9)
		Gemm(true, false, 3, 3, 2, 1, a, 3, a, 3, 0, c, 3)
		assert.Equal(t, []float64{17, 22, 27, 22, 29, 36, 27, 36, 45}, c)
		// A·Aᵀ.
		c = make([]float64, 4)
		Gemm(false, true, 2, 2, 3, 1, a, 3, a, 3, 0, c, 2)
		assert.Equal(t, []float64{14, 32, 32, 77}, c)
	})
}

func TestGemmPanics(t *testing.T) {
	a := make([]float64, 12)
	assert.PanicsWithValue(t, "kernels: negative dimension", func() { Gemm(false, false, -1, 2, 2, 1, a, 2, a, 2, 0, a, 2) })
	assert.PanicsWithValue(t, "kernels: stride of A is smaller than its row length", func() { Gemm(false, false, 2, 2, 3, 1, a, 2, a, 2, 0, a, 2) })
	assert.PanicsWithValue(t, "kernels: stride of B is smaller than its row length", func() { Gemm(false, true, 2, 2, 3, 1, a, 3, a, 2, 0, a, 2) })
	assert.PanicsWithValue(t, "kernels: slice of C is too short for its shape", func() { Gemm(false, false, 4, 4, 1, 1, a, 1, a, 4, 0, make([]float64, 15), 4) })
	assert.PanicsWithValue(t, "kernels: slice of A is too short for its shape", func() { Gemm(true, false, 2, 2, 7, 1, a, 2, make([]float64, 14), 2, 0, a, 2) })
}

// The bits of C do not depend on GOMAXPROCS, nor on whether the
// product shares itself out (Gemm) or not (GemmSerial).
func TestGemmSameBitsAnyGOMAXPROCS(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, v := range variants {
			g := newCase(rng, v.transA, v.transB, 300, 170, 350, 1, 1, 0.5)
			if 2*float64(g.m*g.n*g.k) < parallelFlops {
				t.Fatalf("the case is too small to be shared out")
			}
			var first []float64
			for _, procs := range []int{1, 2, 8} {
				old := runtime.GOMAXPROCS(procs)
				c := append([]float64(nil), g.c...)
				Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc)
				serial := append([]float64(nil), g.c...)
				GemmSerial(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, serial, g.ldc)
				runtime.GOMAXPROCS(old)
				for i := range c {
					if math.Float64bits(c[i]) != math.Float64bits(serial[i]) {
						t.Fatalf("%s: GOMAXPROCS=%d: GemmSerial differs from Gemm at %d: %v vs %v", v.name, procs, i, serial[i], c[i])
					}
				}
				if first == nil {
					first = c
					continue
				}
				for i := range c {
					if math.Float64bits(c[i]) != math.Float64bits(first[i]) {
						t.Fatalf("%s: GOMAXPROCS=%d differs from 1 at %d: %v vs %v", v.name, procs, i, c[i], first[i])
					}
				}
			}
		}
	})
}

// In steady state a call allocates nothing, on one goroutine or several.
func TestGemmAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for _, s := range [][3]int{{20, 30, 40}, {256, 128, 128}, {300, 200, 520}} {
		g := newCase(rng, false, true, s[0], s[1], s[2], 0, 1, 0)
		f := func() { Gemm(false, true, g.m, g.n, g.k, 1, g.a, g.lda, g.b, g.ldb, 0, g.c, g.ldc) }
		f()
		assert.Zero(t, testing.AllocsPerRun(50, f), "shape %v", s)
	}
}

// The task cut depends on the shape alone and covers the output.
func TestPlanCoversOutput(t *testing.T) {
	for _, s := range [][3]int{{1, 1, 1}, {256, 128, 128}, {64, 784, 256}, {1000, 1000, 784}, {4096, 2, 128}} {
		for _, p := range []Path{PathGo, PathAVX2, PathAVX512} {
			j := &gemmJob{m: s[0], n: s[1], k: s[2]}
			j.mr, j.nr = tileOf(p)
			j.rowP, j.colP = (j.m+j.mr-1)/j.mr, (j.n+j.nr-1)/j.nr
			j.plan()
			assert.GreaterOrEqual(t, j.rowT*j.stepR, j.rowP)
			assert.Less(t, (j.rowT-1)*j.stepR, j.rowP)
			assert.GreaterOrEqual(t, j.colT*j.stepC, j.colP)
			assert.Less(t, (j.colT-1)*j.stepC, j.colP)
		}
	}
}

// Calls from several goroutines at once share the helpers and still give
// each caller its own product, bit for bit.
func TestGemmConcurrentCalls(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	cases := make([]gemmCase, 4)
	want := make([][]float64, len(cases))
	for i := range cases {
		cases[i] = newCase(rng, i%2 == 0, i/2 == 1, 300+17*i, 200-11*i, 300+40*i, i%2, 1, 0)
		g := cases[i]
		if 2*float64(g.m*g.n*g.k) < parallelFlops {
			t.Fatalf("case %d is too small to be shared out", i)
		}
		want[i] = append([]float64(nil), g.c...)
		Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, want[i], g.ldc)
	}
	errs := make(chan string, len(cases))
	var wg sync.WaitGroup
	for i, g := range cases {
		wg.Go(func() {
			for range 20 {
				c := append([]float64(nil), g.c...)
				Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc)
				for x := range c {
					if math.Float64bits(c[x]) != math.Float64bits(want[i][x]) {
						errs <- fmt.Sprintf("case %d differs at %d", i, x)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// packCols gives the same panel on every path, for every count of rows
// (full groups of eight, a remainder, fewer than the panel's width) and
// depths with and without a remainder past a multiple of eight.
func TestPackColsEveryPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, w := range []int{6, 8, 24} {
		for rows := 1; rows <= w; rows++ {
			for _, kc := range []int{1, 7, 8, 9, 16, 23, 40} {
				ld := kc + rng.IntN(5)
				src := randSlice(rng, (rows-1)*ld+kc)
				want := make([]float64, kc*w)
				for p := range kc {
					for r := range rows {
						want[p*w+r] = src[r*ld+p]
					}
				}
				forEachPath(t, func(t *testing.T) {
					dst := randSlice(rng, kc*w) // stale values must be overwritten
					packCols(dst, w, src, ld, rows, kc)
					require.Equal(t, want, dst, "w %d, rows %d, kc %d, ld %d", w, rows, kc, ld)
				})
			}
		}
	}
}

// The AVX-512 tiles (8×24, 8×16, 8×8) and the AVX2 one that narrow
// products used before the 8×8 tile, with A read packed or in place,
// compute every element by the same chain of operations, so the choice
// between them, made from the shape alone, changes no bit: widths that
// pick the 8×16 tile (16, 128, 200, 784), the 8×8 one (1, 2, 8), the
// 8×24 one (48), edges, several k blocks, every form, beta 0 and not, and
// B read in place.
func TestGemmTilesSameBits(t *testing.T) {
	if !slices.Contains(Paths(), PathAVX512) {
		t.Skip("no AVX-512 on this machine")
	}
	defer SetPath(PathAVX512)()
	defer func() { tile16, tile8, aInPlace = true, true, true }()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, v := range variants {
		for _, s := range []struct{ m, n, k int }{{9, 16, 7}, {256, 128, 128}, {64, 200, 300}, {17, 784, 33}, {130, 48, 520}, {8, 24, 3}, {512, 1, 128}, {256, 2, 300}, {19, 8, 5}, {8, 3, 1}} {
			for _, beta := range []float64{0, 0.5} {
				g := newCase(rng, v.transA, v.transB, s.m, s.n, s.k, 1, 1.5, beta)
				tile16, tile8, aInPlace = false, false, false
				want := slices.Clone(g.c)
				Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, want, g.ldc)
				for _, knobs := range [][3]bool{{true, false, false}, {false, true, false}, {false, false, true}, {true, true, true}} {
					tile16, tile8, aInPlace = knobs[0], knobs[1], knobs[2]
					got := slices.Clone(g.c)
					Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, got, g.ldc)
					for i := range got {
						if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
							t.Fatalf("%s, 8×16 tile %v, 8×8 tile %v, A in place %v: element %d is %v, %v with the 8×24 and 6×8 tiles and A packed", g.shape(), knobs[0], knobs[1], knobs[2], i, got[i], want[i])
						}
					}
				}
			}
		}
	}
}

// GemmSerialIn gives the bits of GemmSerial, for every form and for a
// scratch reused across shapes that grow and shrink.
func TestGemmSerialInSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	var s GemmScratch
	forEachPath(t, func(t *testing.T) {
		for _, sh := range [][3]int{{5, 7, 3}, {64, 40, 64}, {130, 17, 300}, {8, 8, 8}, {33, 129, 2}} {
			m, n, k := sh[0], sh[1], sh[2]
			for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
				a, b := randSlice(rng, m*k), randSlice(rng, k*n)
				lda, ldb := k, n
				if tr[0] {
					lda = m
				}
				if tr[1] {
					ldb = k
				}
				c0 := randSlice(rng, m*n)
				c1 := append([]float64(nil), c0...)
				GemmSerial(tr[0], tr[1], m, n, k, 0.5, a, lda, b, ldb, 1.5, c0, n)
				GemmSerialIn(&s, tr[0], tr[1], m, n, k, 0.5, a, lda, b, ldb, 1.5, c1, n)
				for i := range c0 {
					require.Equal(t, math.Float64bits(c0[i]), math.Float64bits(c1[i]), "%v %v at %d", sh, tr, i)
				}
			}
		}
	})
}
