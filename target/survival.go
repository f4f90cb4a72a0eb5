package target

import "math"

// orderedKey maps float64 values (not NaN) to integers in the same order,
// −Inf lowest and +Inf highest, with −0 just below +0.
func orderedKey(x float64) uint64 {
	b := math.Float64bits(x)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

func fromOrderedKey(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// survivalInverse returns inf{x in [lo, hi]: sf(x) ≤ s} as a function of
// s, for a non-increasing sf, by bisection on the ordered float64 values
// between lo and hi: at most 64 halvings, each one evaluation of sf,
// whatever the scale of x and however deep in the tail, and exact to one
// floating-point step. It returns hi when sf(x) > s everywhere short of it.
func survivalInverse(sf func(float64) float64, lo, hi float64) func(float64) float64 {
	return func(s float64) float64 {
		if !(sf(lo) > s) {
			return lo
		}
		a, b := orderedKey(lo), orderedKey(hi)
		for b-a > 1 {
			m := a/2 + b/2 + (a & b & 1)
			if sf(fromOrderedKey(m)) <= s {
				b = m
			} else {
				a = m
			}
		}
		return fromOrderedKey(b)
	}
}

// normalTails returns what Truncate knows of N(loc, scale²).
func normalTails(loc, scale float64) *tails {
	return &tails{
		sf:     func(x float64) float64 { return normalSF((x - loc) / scale) },
		isf:    func(s float64) float64 { return loc - scale*unitNormal.Quantile(s) },
		normal: true, loc: loc, scale: scale,
	}
}
