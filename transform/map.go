package transform

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/variate/variate/sampler"
)

// Map returns the sampler of f(X) for X drawn from base: the general
// transformation method. f writes one output point (dim coordinates) into
// dst from one base point (base.Dim() coordinates) in src. The result is
// safe for concurrent use if base and f are; it allocates nothing in
// steady state (base points go through pooled buffers). It panics if base
// or f is nil or dim is not positive.
func Map(base sampler.Sampler, dim int, f func(dst, src []float64)) sampler.Sampler {
	if base == nil || f == nil {
		panic("transform: Map with a nil base or function")
	}
	if dim <= 0 {
		panic(fmt.Sprintf("transform: Map to dimension %d", dim))
	}
	bd := base.Dim()
	return &mapped{base: base, dim: dim, f: f, pool: sync.Pool{New: func() any {
		b := make([]float64, mapChunk*bd)
		return &b
	}}}
}

// mapChunk is how many base points are drawn at once.
const mapChunk = 256

type mapped struct {
	base sampler.Sampler
	dim  int
	f    func(dst, src []float64)
	pool sync.Pool
}

func (m *mapped) Dim() int { return m.dim }

func (m *mapped) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("transform", dst, m.dim)
	bp := m.pool.Get().(*[]float64)
	defer m.pool.Put(bp)
	buf := *bp
	bd := m.base.Dim()
	for len(dst) > 0 {
		k := min(len(dst)/m.dim, mapChunk)
		src := buf[:k*bd]
		if err := m.base.Sample(rng, src); err != nil {
			return err
		}
		for i := range k {
			m.f(dst[i*m.dim:(i+1)*m.dim], src[i*bd:(i+1)*bd])
		}
		dst = dst[k*m.dim:]
	}
	return nil
}

// Uniform returns a sampler of points uniform on the open unit cube
// (0, 1)^dim: no coordinate is ever exactly 0 or 1.
func Uniform(dim int) sampler.Sampler {
	return sampler.Func(dim, func(rng *rand.Rand, x []float64) error {
		for i := range x {
			x[i] = sampler.Uniform(rng)
		}
		return nil
	})
}

// BoxMuller returns the Box–Muller transform (Box & Muller, "A note on
// the generation of random normal deviates", Ann. Math. Stat. 29, 1958) as
// a Map: two independent uniforms (u1, u2) on (0, 1) become two
// independent standard normals r·cos(2πu2) and r·sin(2πu2) with
// r = √(−2 ln u1).
func BoxMuller() sampler.Sampler {
	return Map(Uniform(2), 2, func(dst, src []float64) {
		r := math.Sqrt(-2 * math.Log(src[0]))
		s, c := math.Sincos(2 * math.Pi * src[1])
		dst[0], dst[1] = r*c, r*s
	})
}
