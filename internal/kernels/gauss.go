package kernels

import "math"

// A PowProg describes a sum of Gaussian radial functions evaluated with
// shared exponentials, for GaussPowSum: groups, each of one computed
// exponential e = exp(max(−a·r², ExpMin)) and terms derived from it as
// integer powers max(e, floor)^k. It is stored flat, as the assembly
// reads it: per group the rate a and the number of terms, then per term
// k, its rate and its floor. Build it with Group and Term.
type PowProg []float64

// Group appends a group of computed rate a.
func (p PowProg) Group(a float64) PowProg {
	return append(p, a, math.Float64frombits(0))
}

// Term appends to the last group the term max(e, floor)^k of rate
// k times the group's (k ≥ 1). It panics if there is no group.
func (p PowProg) Term(k uint, rate, floor float64) PowProg {
	h := p.lastGroup()
	p[h+1] = math.Float64frombits(math.Float64bits(p[h+1]) + 1)
	return append(p, math.Float64frombits(uint64(k)), rate, floor)
}

func (p PowProg) lastGroup() int {
	h := -1
	for i := 0; i < len(p); {
		h = i
		i += 2 + 3*int(math.Float64bits(p[i+1]))
	}
	if h < 0 {
		panic("kernels: PowProg.Term before any Group")
	}
	return h
}

// GaussPowSum evaluates the Gaussian sum of prog at each squared distance
// r2[j], v_j as GaussPowValues forms it, and sets dv[j] to its derivative
// with respect to r². It returns Σ_j v_j taken in four interleaved
// partial sums, s_l = v_l + v_{l+4} + … (the elements past the last
// multiple of four going to s_0), combined as (s_0 + s_1) + (s_2 + s_3).
// buf is scratch of at least 2·len(r2) values; dv is at least as long as
// r2.
//
// On PathAVX512 one loop does all of it eight pairs at a time with the
// values in registers; its bits are those of GaussPowValues, which the
// other paths run.
func GaussPowSum(r2, dv []float64, prog PowProg, buf []float64) float64 {
	n := len(r2)
	dv = dv[:n]
	var s [4]float64
	j := 0
	if path >= PathAVX512 && n >= 8 && len(prog) > 0 {
		n8 := n / 8
		gaussPowAVX512(&r2[0], &dv[0], &prog[0], len(prog), n8, &s)
		j = 8 * n8
	}
	if j < n {
		m := n - j
		v := buf[m : 2*m]
		GaussPowValues(r2[j:], v, dv[j:], prog, buf[:m])
		sum4Acc(&s, v)
	}
	return (s[0] + s[1]) + (s[2] + s[3])
}

// GaussPowValues sets v[j] to the Gaussian sum of prog at r2[j] — over
// the groups, e = exp(max(−a·r2[j], ExpMin)) and then each of the group's
// terms max(e, floor)^k, added in the program's order — and dv[j] to its
// derivative with respect to r², −Σ rate·(term). It works in passes over
// the row, ExpNeg once per group and AddPow once per term, so that the
// iterations of each pass overlap. v, dv and the scratch e are at least
// as long as r2.
func GaussPowValues(r2, v, dv []float64, prog PowProg, e []float64) {
	n := len(r2)
	v, dv, e = v[:n], dv[:n], e[:n]
	clear(v)
	clear(dv)
	for i := 0; i < len(prog); {
		a := prog[i]
		nt := int(math.Float64bits(prog[i+1]))
		ExpNeg(e, r2, a)
		AddPow(e, v, dv, 0, a, 1)
		for t := range nt {
			q := prog[i+2+3*t:]
			AddPow(e, v, dv, q[2], q[1], uint(math.Float64bits(q[0])))
		}
		i += 2 + 3*nt
	}
}

// sum4Acc continues the four partial sums of GaussPowSum over v: groups
// of four go to s[0..3] lane by lane, the last len(v) mod 4 elements to
// s[0].
func sum4Acc(s *[4]float64, v []float64) {
	j := 0
	for ; j+3 < len(v); j += 4 {
		s[0] += v[j]
		s[1] += v[j+1]
		s[2] += v[j+2]
		s[3] += v[j+3]
	}
	for ; j < len(v); j++ {
		s[0] += v[j]
	}
}
