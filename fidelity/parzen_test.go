package fidelity

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
)

// uniformPoints returns n points of dimension dim, uniform on
// [off, off+1)^dim.
func uniformPoints(seed uint64, n, dim int, off float64) []float64 {
	rng := sampler.NewRand(seed)
	x := make([]float64, n*dim)
	for i := range x {
		x[i] = off + rng.Float64()
	}
	return x
}

// directLogDensity is log p(x) under the kernel density estimate computed
// the plain way: coordinate differences, the log-sum-exp shifted by its
// largest term, math.Exp.
func directLogDensity(samples, x []float64, dim int, sigma float64) float64 {
	ns := len(samples) / dim
	a := make([]float64, ns)
	top := math.Inf(-1)
	for j := range a {
		var d2 float64
		for k := range dim {
			d := x[k] - samples[j*dim+k]
			d2 += d * d
		}
		a[j] = -d2 / (2 * sigma * sigma)
		top = max(top, a[j])
	}
	var s float64
	for _, v := range a {
		s += math.Exp(v - top)
	}
	return top + math.Log(s) - math.Log(float64(ns)) - float64(dim)/2*math.Log(2*math.Pi*sigma*sigma)
}

// TestParzenMatchesDirect checks the blocked evaluation against the
// direct one to 1e-10, with more samples than a column block and more
// points than a row block so that the running log-sum-exp crosses blocks,
// at bandwidths from one where a single sample dominates to one where all
// count, and far from the samples, where e^(−d²/2σ²) underflows for every
// sample and only the shifted sum survives.
func TestParzenMatchesDirect(t *testing.T) {
	const dim = 5
	samples := uniformPoints(1, distColBlock+452, dim, 0)
	x := uniformPoints(2, distRowBlock+44, dim, 0)
	far := uniformPoints(3, 20, dim, 30)
	sigmas := []float64{0.02, 0.1, 0.5, 3}
	got, err := parzenLogDensities(samples, x, dim, sigmas)
	require.NoError(t, err)
	gotFar, err := parzenLogDensities(samples, far, dim, sigmas)
	require.NoError(t, err)
	for k, s := range sigmas {
		for i := range len(x) / dim {
			want := directLogDensity(samples, x[i*dim:(i+1)*dim], dim, s)
			require.InDelta(t, want, got[k][i], 1e-10, "σ %v point %d", s, i)
		}
		for i := range len(far) / dim {
			want := directLogDensity(samples, far[i*dim:(i+1)*dim], dim, s)
			require.False(t, math.IsInf(want, 0))
			// ‖x‖² ≈ 5·30² here, so the cancellation in ‖x‖²+‖y‖²−2x·y
			// costs about 1e−12 in d², divided by 2σ².
			require.InDelta(t, want, gotFar[k][i], 1e-10*max(1, 1/(2*s*s)), "far, σ %v point %d", s, i)
		}
	}
	// The naive sum underflows there: the shift is what makes it finite.
	assert.Less(t, gotFar[0][0], -1e5)
}

// TestParzenSingleSample is a known answer: with one sample at the
// origin the estimate is the density of N(0, σ²I) itself, and the grid
// value chosen on validation points brackets the maximum-likelihood
// bandwidth √(mean ‖x‖²/d).
func TestParzenSingleSample(t *testing.T) {
	const dim, n = 3, 400
	rng := sampler.NewRand(7)
	valid, test := make([]float64, n*dim), make([]float64, n*dim)
	var ss float64
	for i := range valid {
		valid[i] = 0.7 * rng.NormFloat64()
		test[i] = 0.7 * rng.NormFloat64()
		ss += valid[i] * valid[i]
	}
	mle := math.Sqrt(ss / n / dim)
	grid := make([]float64, 40)
	for i := range grid {
		grid[i] = 0.3 + 0.025*float64(i)
	}
	res, err := Parzen(make([]float64, dim), valid, test, dim, &ParzenOptions{Sigmas: grid})
	require.NoError(t, err)
	assert.Empty(t, res.Warnings)
	assert.InDelta(t, mle, res.Sigma, 0.025/2+1e-12, "σ chosen %v, ML %v", res.Sigma, mle)
	var sum, sq float64
	for i := range n {
		x := test[i*dim : (i+1)*dim]
		l := -float64(dim)/2*math.Log(2*math.Pi*res.Sigma*res.Sigma) - (x[0]*x[0]+x[1]*x[1]+x[2]*x[2])/(2*res.Sigma*res.Sigma)
		sum += l
		sq += l * l
	}
	mean := sum / n
	assert.InDelta(t, mean, res.Mean, 1e-12)
	assert.InDelta(t, math.Sqrt((sq/n-mean*mean)*n/(n-1)/n), res.StdErr, 1e-12)
	for k, s := range grid {
		m, _, err := ParzenLogLikelihood(make([]float64, dim), valid, dim, s)
		require.NoError(t, err)
		assert.Equal(t, m, res.Validation[k])
	}
}

func TestParzenWarnsAtGridEnd(t *testing.T) {
	x := uniformPoints(4, 50, 2, 0)
	res, err := Parzen(x, x, x, 2, &ParzenOptions{Sigmas: []float64{0.5, 1, 2}})
	require.NoError(t, err)
	assert.Equal(t, 0.5, res.Sigma, "the validation points are the samples: the smallest σ wins")
	require.Len(t, res.Warnings, 1)
	assert.Contains(t, res.Warnings[0], "at an end of the grid [0.5, 2]")
	assert.Len(t, DefaultParzenSigmas(), 50)
	assert.Equal(t, 0.05, DefaultParzenSigmas()[0])
	assert.InDelta(t, 1, DefaultParzenSigmas()[49], 1e-15)
}

func TestParzenDeterministicAcrossProcs(t *testing.T) {
	samples := uniformPoints(5, 3000, 40, 0)
	x := uniformPoints(6, 300, 40, 0)
	var first []float64
	for _, p := range []int{1, 2, 8} {
		old := runtime.GOMAXPROCS(p)
		l, err := parzenLogDensities(samples, x, 40, []float64{0.3})
		runtime.GOMAXPROCS(old)
		require.NoError(t, err)
		if first == nil {
			first = l[0]
		}
		assert.Equal(t, first, l[0], "GOMAXPROCS %d", p)
	}
}

func TestParzenBadInput(t *testing.T) {
	x := uniformPoints(8, 10, 2, 0)
	nan := append([]float64(nil), x...)
	nan[5] = math.NaN()
	for _, c := range []struct {
		name             string
		samples, v, test []float64
		sigmas           []float64
		want             string
	}{
		{"no samples", nil, x, x, nil, "samples has 0 points"},
		{"no validation", x, nil, x, nil, "validation has 0 points"},
		{"one test point", x, x, x[:2], nil, "test has 1 points; need at least 2"},
		{"NaN", x, nan, x, nil, "validation[5] is NaN (point 2, coordinate 1)"},
		{"ragged", x[:3], x, x, nil, "len(samples) = 3 is not a multiple"},
		{"empty grid", x, x, x, []float64{}, "grid is empty"},
		{"zero σ", x, x, x, []float64{1, 0}, "bandwidth 1 is 0"},
		{"NaN σ", x, x, x, []float64{math.NaN()}, "bandwidth 0 is NaN"},
		{"tiny σ", x, x, x, []float64{1e-170}, "bandwidth 0 is 1e-170"},
		{"huge σ", x, x, x, []float64{1e160}, "bandwidth 0 is 1e+160"},
		{"huge points", []float64{1e160, 0}, x, x, nil, "squared norm of samples point 0 overflows"},
		{"far points", x, []float64{1e100, 0}, x, []float64{1e-100}, "log-density of point 0 is"},
	} {
		_, err := Parzen(c.samples, c.v, c.test, 2, &ParzenOptions{Sigmas: c.sigmas})
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
	_, _, err := ParzenLogLikelihood(x, x, 2, -1)
	assert.ErrorContains(t, err, "bandwidth 0 is -1")
}

// FuzzParzen checks that no finite input gives a NaN or an infinite
// result, and that every result agrees with the direct computation.
func FuzzParzen(f *testing.F) {
	f.Add(0.1, 0.2, 0.9, -0.4, 0.3, 0.5, 0.25)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)
	f.Add(1e6, -1e6, 3.0, 2.0, 1.0, 0.0, 1e-3)
	f.Add(1e150, 0.0, 1e150, 0.0, 0.0, 0.0, 1e100)
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g, sigma float64) {
		samples := []float64{a, b, c, d}
		x := []float64{e, g, a, d}
		m, se, err := ParzenLogLikelihood(samples, x, 2, sigma)
		if err != nil {
			return
		}
		require.False(t, math.IsNaN(m) || math.IsInf(m, 0) || math.IsNaN(se) || math.IsInf(se, 0), "mean %v, se %v", m, se)
		want := (directLogDensity(samples, x[:2], 2, sigma) + directLogDensity(samples, x[2:], 2, sigma)) / 2
		if !math.IsInf(want, 0) && !math.IsNaN(want) {
			// The blocked form loses about ε·max‖·‖² in d² to cancellation.
			scale := max(a*a+b*b, c*c+d*d, e*e+g*g, 1) / (sigma * sigma)
			require.InDelta(t, want, m, 1e-12*scale+1e-9*math.Abs(want)+1e-9)
		}
	})
}

func TestMeanStdErrCompensated(t *testing.T) {
	x := make([]float64, 10000)
	for i := range x {
		x[i] = -1000 + 1e-3*float64(i%7)
	}
	m, se := meanStdErr(x)
	var want float64
	for i := range x {
		want += 1e-3 * float64(i%7)
	}
	assert.InDelta(t, -1000+want/10000, m, 1e-12)
	assert.Greater(t, se, 0.0)
	_, se = meanStdErr([]float64{3})
	assert.Equal(t, 0.0, se)
}

// BenchmarkParzenLogLikelihood measures one bandwidth's evaluation, the
// blocked path beside the direct loop as its peer, at a small size and
// at MNIST's (10,000 test points under 10,000 samples of 784 pixels).
func BenchmarkParzenLogLikelihood(b *testing.B) {
	for _, c := range []struct {
		n, dim int
		direct bool
	}{{1000, 784, false}, {1000, 784, true}, {10000, 784, false}} {
		name := "blocked"
		if c.direct {
			name = "direct"
		}
		samples := uniformPoints(21, c.n, c.dim, 0)
		x := uniformPoints(22, c.n, c.dim, 0)
		b.Run(fmt.Sprintf("%s/%dx%dx%d", name, c.n, c.n, c.dim), func(b *testing.B) {
			for b.Loop() {
				if c.direct {
					for i := range c.n {
						directLogDensity(samples, x[i*c.dim:(i+1)*c.dim], c.dim, 0.2)
					}
				} else if _, _, err := ParzenLogLikelihood(samples, x, c.dim, 0.2); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(c.n*c.n), "ns/pair")
		})
	}
}
