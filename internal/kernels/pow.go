package kernels

// AddPow adds p = b^k to v[j] and −rate·p to dv[j] for b = max(e[j], floor),
// for every j < len(e) and k ≥ 1; v and dv are at least as long as e.
// With floor = e^(ExpMin/k) no power is subnormal. Up to k = 32 each k has its own
// straight-line loop, the ladder b, b², b⁴, … written out for its binary
// expansion: a loop whose body has no branch and whose iterations are
// independent keeps the multipliers busy, which a call or an inner loop
// per pair does not.
func AddPow(e, v, dv []float64, floor, rate float64, k uint) {
	if k == 0 {
		panic("kernels: AddPow with k = 0")
	}
	v = v[:len(e)]
	dv = dv[:len(e)]
	if path >= PathAVX512 && len(e) >= 8 {
		n8 := len(e) / 8
		powAccAVX512(&e[0], &v[0], &dv[0], floor, rate, k, n8)
		e, v, dv = e[8*n8:], v[8*n8:], dv[8*n8:]
	}
	if path >= PathAVX2 && len(e) >= 4 {
		n4 := len(e) / 4
		powAccAVX2(&e[0], &v[0], &dv[0], floor, rate, k, n4)
		e, v, dv = e[4*n4:], v[4*n4:], dv[4*n4:]
	}
	switch k {
	case 1:
		for j, x := range e {
			b := max(x, floor)
			p := b
			v[j] += p
			dv[j] -= rate * p
		}
	case 2:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			p := b2
			v[j] += p
			dv[j] -= rate * p
		}
	case 3:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			p := b2 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 4:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			p := b4
			v[j] += p
			dv[j] -= rate * p
		}
	case 5:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			p := b4 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 6:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			p := b4 * b2
			v[j] += p
			dv[j] -= rate * p
		}
	case 7:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			p := b4 * b2 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 8:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			p := b8
			v[j] += p
			dv[j] -= rate * p
		}
	case 9:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			p := b8 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 10:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			p := b8 * b2
			v[j] += p
			dv[j] -= rate * p
		}
	case 11:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			p := b8 * b2 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 12:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			p := b8 * b4
			v[j] += p
			dv[j] -= rate * p
		}
	case 13:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			p := b8 * b4 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 14:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			p := b8 * b4 * b2
			v[j] += p
			dv[j] -= rate * p
		}
	case 15:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			p := b8 * b4 * b2 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 16:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16
			v[j] += p
			dv[j] -= rate * p
		}
	case 17:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 18:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b2
			v[j] += p
			dv[j] -= rate * p
		}
	case 19:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b2 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 20:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b4
			v[j] += p
			dv[j] -= rate * p
		}
	case 21:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b4 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 22:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b4 * b2
			v[j] += p
			dv[j] -= rate * p
		}
	case 23:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b4 * b2 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 24:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b8
			v[j] += p
			dv[j] -= rate * p
		}
	case 25:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b8 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 26:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b8 * b2
			v[j] += p
			dv[j] -= rate * p
		}
	case 27:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b8 * b2 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 28:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b8 * b4
			v[j] += p
			dv[j] -= rate * p
		}
	case 29:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b8 * b4 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 30:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b8 * b4 * b2
			v[j] += p
			dv[j] -= rate * p
		}
	case 31:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			p := b16 * b8 * b4 * b2 * b
			v[j] += p
			dv[j] -= rate * p
		}
	case 32:
		for j, x := range e {
			b := max(x, floor)
			b2 := b * b
			b4 := b2 * b2
			b8 := b4 * b4
			b16 := b8 * b8
			b32 := b16 * b16
			p := b32
			v[j] += p
			dv[j] -= rate * p
		}
	default:
		for j, x := range e {
			p := ipow(max(x, floor), k)
			v[j] += p
			dv[j] -= rate * p
		}
	}
}

// ipow returns x^k for k ≥ 1 by binary powering.
func ipow(x float64, k uint) float64 {
	r := 1.0
	for {
		if k&1 != 0 {
			r *= x
		}
		k >>= 1
		if k == 0 {
			return r
		}
		x *= x
	}
}
