package mcmc

import (
	"math"
	"math/rand/v2"
)

// The random-walk kernels spend half their time drawing normal
// increments, so they take two from each 64-bit word instead of
// rand.NormFloat64's one, by the ziggurat method of Marsaglia & Tsang
// ("The ziggurat method for generating random variables", Journal of
// Statistical Software 5(8), 2000) with 128 layers. Each half word gives
// 7 bits of layer, 24 of position within the layer and a sign bit of its
// own (the layer bits are not the position's low bits, the flaw of the
// original that Doornik, "An improved ziggurat method to generate normal
// random samples", 2005, points out). The position is the centre of one
// of 2²⁴ cells, so the distribution is exactly symmetric, which is what
// a Metropolis proposal needs; it differs from the normal only by that
// discretisation, 2⁻²⁴ of a layer's width.

const (
	zigLayers = 128
	zigR      = 3.442619855899      // right edge of the bottom layer
	zigV      = 9.91256303526217e-3 // area of every layer
	zigCells  = 1 << 24             // positions per layer
)

var (
	zigK [zigLayers]uint32  // cells fully under the curve, per layer
	zigW [zigLayers]float64 // cell width, per layer
	zigF [zigLayers]float64 // density exp(−x²/2) at each layer's right edge
)

func init() {
	// Layer 0 is the base: a strip of width v/f(r) whose part beyond r
	// stands for the tail. Layer i ≥ 1 spans [0, x_i] × [f(x_i), f(x_{i−1})]
	// with x_127 = r and x_0 = 0; the fast path accepts a cell wholly left
	// of x_{i−1}, whose column lies under the curve. The thresholds are
	// rounded down, so a cell they miss goes to the exact slow test.
	f := func(x float64) float64 { return math.Exp(-0.5 * x * x) }
	q := zigV / f(zigR)
	zigW[0] = q / zigCells
	zigK[0] = uint32(math.Floor(zigCells*zigR/q - 0.5))
	zigF[0] = 1
	x := zigR
	zigW[zigLayers-1] = x / zigCells
	zigF[zigLayers-1] = f(x)
	for i := zigLayers - 2; i >= 1; i-- {
		next := math.Sqrt(-2 * math.Log(zigV/x+f(x)))
		zigK[i+1] = uint32(math.Floor(zigCells*next/x - 0.5))
		x = next
		zigW[i] = x / zigCells
		zigF[i] = f(x)
	}
	zigK[1] = 0
}

// normals fills z with independent standard normal draws. The fast
// path of each half word is written out here, where the compiler would
// not inline it.
func normals(rng *rand.Rand, z []float64) {
	for i := 0; i < len(z); i += 2 {
		u := rng.Uint64()
		h := uint32(u)
		if layer, cell := h&(zigLayers-1), (h>>7)&(zigCells-1); cell < zigK[layer] {
			z[i] = math.Float64frombits(math.Float64bits((float64(cell)+0.5)*zigW[layer]) | uint64(h>>31)<<63)
		} else {
			z[i] = zigSlow(rng, h)
		}
		if i+1 == len(z) {
			return
		}
		h = uint32(u >> 32)
		if layer, cell := h&(zigLayers-1), (h>>7)&(zigCells-1); cell < zigK[layer] {
			z[i+1] = math.Float64frombits(math.Float64bits((float64(cell)+0.5)*zigW[layer]) | uint64(h>>31)<<63)
		} else {
			z[i+1] = zigSlow(rng, h)
		}
	}
}

// zigTries bounds the passes of each loop of zigSlow; a variable so that
// a test can force the fallbacks.
//
// Every pass after the first starts a fresh, complete ziggurat draw (a
// new word, fast path included), so the passes are independent trials
// and conditional on any number of failures the draw still to be made is
// a standard normal one. The outer loop fails a fresh pass only in a
// wedge, with probability 1 − √(π/2)/(128·v) = 0.0122 (the area between
// the layers and the curve); Marsaglia's tail loop fails a trial with
// probability 1 − r·√(2π)·e^(r²/2)·Φ(−r) = 0.069. After zigTries passes —
// probability below 0.0122¹⁵ < 2e-28 and 0.069¹⁶ < 3e-19 per draw — the
// draw is finished by inversion instead (math.Erfinv, math.Erfcinv), an
// exact normal (or tail) draw, so the bound changes no distribution; it
// only removes the unbounded loop. The inversion is continuous rather
// than on the ziggurat's 2²⁴ cells, and exactly symmetric like them.
var zigTries = 16

// zigSlow finishes a draw that fell outside a layer's fast region.
func zigSlow(rng *rand.Rand, h uint32) float64 {
	for range zigTries {
		layer := h & (zigLayers - 1)
		cell := (h >> 7) & (zigCells - 1)
		x := (float64(cell) + 0.5) * zigW[layer]
		switch {
		case cell < zigK[layer]:
		case layer == 0:
			if x >= zigR {
				x = zigTail(rng)
			}
		default:
			// A point uniform in the layer's rectangle at x: under the
			// curve?
			y := zigF[layer] + rng.Float64()*(zigF[layer-1]-zigF[layer])
			if y >= math.Exp(-0.5*x*x) {
				h = uint32(rng.Uint64())
				continue
			}
		}
		if h>>31 != 0 {
			return -x
		}
		return x
	}
	// Inversion at the centre of one of 2⁵³ cells of (0, 1): the cells
	// pair up around ½, so the draw is exactly symmetric.
	u := (float64(rng.Uint64()>>11) + 0.5) / (1 << 53)
	return math.Sqrt2 * math.Erfinv(2*u-1)
}

// zigTail draws from the standard normal conditioned on exceeding r
// (Marsaglia, "Generating a variable from the tail of the normal
// distribution", Technometrics 6, 1964), falling back on inversion of the
// tail after zigTries rejections (see zigTries).
func zigTail(rng *rand.Rand) float64 {
	for range zigTries {
		t := -math.Log(1-rng.Float64()) / zigR
		e := -math.Log(1 - rng.Float64())
		if 2*e > t*t {
			return zigR + t
		}
	}
	// P(X > x | X > r) = erfc(x/√2)/erfc(r/√2) = u, u in (0, 1].
	u := 1 - rng.Float64()
	return math.Sqrt2 * math.Erfcinv(u*math.Erfc(zigR/math.Sqrt2))
}
