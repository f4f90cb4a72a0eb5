package mmd

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/variate/variate/sampler"
)

// textbookKernel is the kernel written from its definition, independently
// of the package's code paths: math.Exp per bandwidth, direct distances.
type textbookKernel struct {
	name   string
	kernel Kernel
	f      func(x, y []float64) float64
}

func sqd(x, y []float64) float64 {
	var s float64
	for i := range x {
		s += (x[i] - y[i]) * (x[i] - y[i])
	}
	return s
}

func textbookKernels(t *testing.T) []textbookKernel {
	t.Helper()
	sigmas := []float64{0.02, 0.05, 0.1, 0.2, 0.5, 1.0}
	gs, err := GaussianSum(sigmas...)
	require.NoError(t, err)
	odd := []float64{0.3, 0.7, 1.3} // no integer ratios: one exponential each
	gOdd, err := GaussianSum(odd...)
	require.NoError(t, err)
	g1, err := Gaussian(0.8)
	require.NoError(t, err)
	imq, err := InverseMultiquadric(0.5)
	require.NoError(t, err)
	gauss := func(ss []float64) func(x, y []float64) float64 {
		return func(x, y []float64) float64 {
			var s float64
			for _, sg := range ss {
				s += math.Exp(-sqd(x, y) / (2 * sg * sg))
			}
			return s
		}
	}
	return []textbookKernel{
		{"gmmn6", gs, gauss(sigmas)},
		{"gauss3", gOdd, gauss(odd)},
		{"gauss", g1, gauss([]float64{0.8})},
		{"imq", imq, func(x, y []float64) float64 { return 1 / math.Sqrt(1+sqd(x, y)/0.25) }},
		{"energy", Distance(), func(x, y []float64) float64 { return -math.Sqrt(sqd(x, y)) }},
	}
}

// textbookMMD2 is the O(n²) definition: every ordered pair, i ≠ j for the
// unbiased estimate.
func textbookMMD2(f func(x, y []float64) float64, x, y []float64, d int, unbiased bool) float64 {
	n, m := len(x)/d, len(y)/d
	pt := func(p []float64, i int) []float64 { return p[i*d : (i+1)*d] }
	var kxx, kyy, kxy float64
	for i := range n {
		for j := range n {
			if !unbiased || i != j {
				kxx += f(pt(x, i), pt(x, j))
			}
		}
	}
	for i := range m {
		for j := range m {
			if !unbiased || i != j {
				kyy += f(pt(y, i), pt(y, j))
			}
		}
	}
	for i := range n {
		for j := range m {
			kxy += f(pt(x, i), pt(y, j))
		}
	}
	fn, fm := float64(n), float64(m)
	if unbiased {
		return kxx/(fn*(fn-1)) + kyy/(fm*(fm-1)) - 2*kxy/(fn*fm)
	}
	return kxx/(fn*fn) + kyy/(fm*fm) - 2*kxy/(fn*fm)
}

func textbookLinear(f func(x, y []float64) float64, x, y []float64, d int) float64 {
	n := len(x) / d
	pt := func(p []float64, i int) []float64 { return p[i*d : (i+1)*d] }
	var s float64
	for i := range n / 2 {
		x1, x2, y1, y2 := pt(x, 2*i), pt(x, 2*i+1), pt(y, 2*i), pt(y, 2*i+1)
		s += f(x1, x2) + f(y1, y2) - f(x1, y2) - f(x2, y1)
	}
	return s / float64(n/2)
}

// points returns n normal points of dimension d scaled by s and shifted by
// shift in every coordinate.
func points(rng *rand.Rand, n, d int, s, shift float64) []float64 {
	p := make([]float64, n*d)
	for i := range p {
		p[i] = s*rng.NormFloat64() + shift
	}
	return p
}

func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Abs(want)
}

// The tiled, parallel estimators agree with the definition to 1e-12
// relative on both distance routes, with tiles smaller than the sets so
// that off-diagonal, diagonal and ragged tiles all occur.
func TestEstimatorsMatchTextbook(t *testing.T) {
	rng := sampler.NewRand(1)
	for _, tc := range []struct {
		d, n, m, block int
		scale, shift   float64
	}{
		{1, 45, 38, 16, 0.3, 0.1},
		{2, 70, 53, 32, 0.3, 0.2},
		{3, 40, 41, 16, 0.5, 0.3},
		{40, 50, 37, 16, 0.1, 0.05},
	} {
		x := points(rng, tc.n, tc.d, tc.scale, 0)
		y := points(rng, tc.m, tc.d, tc.scale, tc.shift)
		for _, tk := range textbookKernels(t) {
			if tc.d == 40 && tk.name == "gmmn6" {
				// Bandwidths at the data's scale in 40-D.
				k, err := GaussianSum(0.2, 0.5, 1, 2, 5)
				require.NoError(t, err)
				tk.kernel = k
				tk.f = func(a, b []float64) float64 {
					var s float64
					for _, sg := range []float64{0.2, 0.5, 1, 2, 5} {
						s += math.Exp(-sqd(a, b) / (2 * sg * sg))
					}
					return s
				}
			}
			e, err := NewEstimator(tk.kernel, tc.d, &Options{Block: tc.block})
			require.NoError(t, err)
			name := tk.name + "/d" + strconv.Itoa(tc.d)
			u, err := e.Unbiased(x, y)
			require.NoError(t, err)
			assert.Less(t, relErr(u, textbookMMD2(tk.f, x, y, tc.d, true)), 1e-12, name+" unbiased")
			b, err := e.Biased(x, y)
			require.NoError(t, err)
			assert.Less(t, relErr(b, textbookMMD2(tk.f, x, y, tc.d, false)), 1e-12, name+" biased")
			mm := min(tc.n, tc.m) * tc.d
			l, err := e.Linear(x[:mm], y[:mm])
			require.NoError(t, err)
			assert.Less(t, relErr(l, textbookLinear(tk.f, x[:mm], y[:mm], tc.d)), 1e-12, name+" linear")

			g := make([]float64, len(x))
			ug, err := e.UnbiasedGrad(x, y, g)
			require.NoError(t, err)
			assert.Less(t, relErr(ug, u), 1e-13, name+" unbiased value with gradient")
			bg, err := e.BiasedGrad(x, y, g)
			require.NoError(t, err)
			assert.Less(t, relErr(bg, b), 1e-13, name+" biased value with gradient")
		}
	}
}

// The package functions Unbiased, Biased and Linear equal the O(n²) and
// O(n) definitions computed here directly (not through an Estimator), to
// 1e-12 relative, for every kernel, with unequal set sizes for the
// quadratic ones.
func TestPackageFunctions(t *testing.T) {
	rng := sampler.NewRand(2)
	x, y := points(rng, 30, 2, 1, 0), points(rng, 30, 2, 1, 0.5)
	y2 := points(rng, 23, 2, 1.3, 0.2)
	for _, tk := range textbookKernels(t) {
		for _, c := range []struct {
			name string
			pkg  func(Kernel, []float64, []float64, int) (float64, error)
			y    []float64
			want float64
		}{
			{"Unbiased", Unbiased, y2, textbookMMD2(tk.f, x, y2, 2, true)},
			{"Biased", Biased, y2, textbookMMD2(tk.f, x, y2, 2, false)},
			{"Linear", Linear, y, textbookLinear(tk.f, x, y, 2)},
		} {
			got, err := c.pkg(tk.kernel, x, c.y, 2)
			require.NoError(t, err)
			assert.LessOrEqual(t, relErr(got, c.want), 1e-12, "%s %s: %v, want %v", tk.name, c.name, got, c.want)
		}
	}
	k, err := Gaussian(1)
	require.NoError(t, err)
	e, err := NewEstimator(k, 2, nil)
	require.NoError(t, err)
	assert.Equal(t, k, e.Kernel())
	assert.Equal(t, 2, e.Dim())
}

func readFixture(t *testing.T, name string) (x, y, sigmas []float64, dim int, want float64) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := func() []float64 {
		require.True(t, sc.Scan())
		var v []float64
		for s := range strings.FieldsSeq(sc.Text()) {
			x, err := strconv.ParseFloat(s, 64)
			require.NoError(t, err)
			v = append(v, x)
		}
		return v
	}
	hdr := line()
	n, m, d := int(hdr[0]), int(hdr[1]), int(hdr[2])
	sigmas = line()
	want = line()[0]
	for range n {
		x = append(x, line()...)
	}
	for range m {
		y = append(y, line()...)
	}
	return x, y, sigmas, d, want
}

// The committed fixtures hold points and the value NumPy's textbook
// formula gives for them (see testdata/README.md).
func TestMatchesNumPy(t *testing.T) {
	for _, name := range []string{"numpy_d2.txt", "numpy_d40.txt"} {
		x, y, sigmas, d, want := readFixture(t, name)
		k, err := GaussianSum(sigmas...)
		require.NoError(t, err)
		got, err := Unbiased(k, x, y, d)
		require.NoError(t, err)
		assert.Less(t, relErr(got, want), 1e-10, name)
	}
}

// Results are identical bit for bit whatever GOMAXPROCS is: every
// estimator, every gradient, and the permutation test.
func TestDeterministicAcrossGOMAXPROCS(t *testing.T) {
	rng := sampler.NewRand(3)
	for _, d := range []int{2, 40} {
		n := 600
		if d == 40 {
			n = 300
		}
		x, y := points(rng, n, d, 1, 0), points(rng, n-17, d, 1, 0.1)
		k, err := GaussianSum(0.5, 1, 2, 4)
		require.NoError(t, err)
		e, err := NewEstimator(k, d, &Options{Block: 64})
		require.NoError(t, err)
		type result struct {
			vals  []float64
			grads [][]float64
			test  TestResult
		}
		run := func() result {
			var r result
			for _, f := range []func(x, y []float64) (float64, error){e.Unbiased, e.Biased} {
				v, err := f(x, y)
				require.NoError(t, err)
				r.vals = append(r.vals, v)
			}
			v, err := e.Linear(x[:len(y)], y)
			require.NoError(t, err)
			r.vals = append(r.vals, v)
			for _, f := range []func(x, y, g []float64) (float64, error){e.UnbiasedGrad, e.BiasedGrad} {
				g := make([]float64, len(x))
				v, err := f(x, y, g)
				require.NoError(t, err)
				r.vals, r.grads = append(r.vals, v), append(r.grads, g)
			}
			g := make([]float64, len(y))
			v, err = e.LinearGrad(x[:len(y)], y, g)
			require.NoError(t, err)
			r.vals, r.grads = append(r.vals, v), append(r.grads, g)
			r.test, err = Test(k, x[:200*d], y[:150*d], d, sampler.NewRand(4), &TestOptions{Permutations: 101})
			require.NoError(t, err)
			return r
		}
		prev := runtime.GOMAXPROCS(1)
		want := run()
		for _, procs := range []int{2, 4} {
			runtime.GOMAXPROCS(procs)
			got := run()
			assert.Equal(t, want, got, "d=%d GOMAXPROCS %d", d, procs)
		}
		runtime.GOMAXPROCS(prev)
	}
}

// Each gradient matches central finite differences of its own value to
// 1e-6 relative, component by component.
func TestGradientsFiniteDifferences(t *testing.T) {
	rng := sampler.NewRand(4)
	for _, d := range []int{1, 2, 3, 40} {
		n, m := 14, 11
		scale := 0.6
		if d == 40 {
			scale = 0.15
		}
		x, y := points(rng, n, d, scale, 0), points(rng, m, d, scale, 0.2*scale)
		for _, tk := range textbookKernels(t) {
			e, err := NewEstimator(tk.kernel, d, &Options{Block: 4})
			require.NoError(t, err)
			for _, est := range []struct {
				name string
				val  func(x, y []float64) (float64, error)
				grad func(x, y, g []float64) (float64, error)
				yy   []float64
			}{
				{"unbiased", e.Unbiased, e.UnbiasedGrad, y},
				{"biased", e.Biased, e.BiasedGrad, y},
				{"linear", e.Linear, e.LinearGrad, points(rng, n, d, scale, 0.2*scale)},
			} {
				g := make([]float64, len(x))
				v0, err := est.grad(x, est.yy, g)
				require.NoError(t, err)
				v1, err := est.val(x, est.yy)
				require.NoError(t, err)
				assert.Less(t, math.Abs(v0-v1), 1e-13*math.Abs(v1))
				var gmax float64
				for _, v := range g {
					gmax = max(gmax, math.Abs(v))
				}
				require.Greater(t, gmax, 0.0)
				xp := append([]float64(nil), x...)
				central := func(c int, h float64) float64 {
					xp[c] = x[c] + h
					fp, err := est.val(xp, est.yy)
					require.NoError(t, err)
					xp[c] = x[c] - h
					fm, err := est.val(xp, est.yy)
					require.NoError(t, err)
					xp[c] = x[c]
					return (fp - fm) / (2 * h)
				}
				for c := range x {
					// Central differences at h and h/2 combined (Richardson) to
					// cancel the h² term: truncation O(h⁴), rounding O(ε/h).
					h := 1e-4
					fd := (4*central(c, h/2) - central(c, h)) / 3
					if !scalar.EqualWithinAbsOrRel(fd, g[c], 1e-6*gmax*1e-3, 1e-6) {
						t.Errorf("%s/%s/d%d: ∂/∂x[%d] = %v, finite difference %v", tk.name, est.name, d, c, g[c], fd)
					}
				}
			}
		}
	}
}

// Once the workspace has grown, a call allocates nothing, even after the
// garbage collector has emptied the pools.
func TestZeroAllocations(t *testing.T) {
	rng := sampler.NewRand(5)
	for _, d := range []int{2, 40} {
		x, y := points(rng, 300, d, 1, 0), points(rng, 300, d, 1, 0.1)
		k, err := GaussianSum(0.5, 1, 2)
		require.NoError(t, err)
		e, err := NewEstimator(k, d, &Options{Block: 64})
		require.NoError(t, err)
		g := make([]float64, len(x))
		calls := map[string]func(){
			"unbiased":     func() { _, _ = e.Unbiased(x, y) },
			"unbiasedGrad": func() { _, _ = e.UnbiasedGrad(x, y, g) },
			"biased":       func() { _, _ = e.Biased(x, y) },
			"biasedGrad":   func() { _, _ = e.BiasedGrad(x, y, g) },
			"linear":       func() { _, _ = e.Linear(x, y) },
			"linearGrad":   func() { _, _ = e.LinearGrad(x, y, g) },
		}
		for name, f := range calls {
			f()
			assert.Zero(t, testing.AllocsPerRun(5, f), name)
			// Two collections empty every sync.Pool: the workspace must
			// not depend on one.
			assert.Zero(t, testing.AllocsPerRun(3, func() { runtime.GC(); runtime.GC(); f() }), name+" after GC")
		}
	}
}
