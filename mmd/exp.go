package mmd

import "math"

// Table-driven exponential (Tang, "Table-driven implementation of the
// exponential function in IEEE floating-point arithmetic", ACM TOMS 1989):
// x = (64k + j)·ln2/64 + r with |r| ≤ ln2/128, exp(x) = 2^k · 2^(j/64) · e^r,
// e^r − 1 by its degree-5 Taylor polynomial (truncation below 4e-17
// relative). The result is within 2 ulp of exp(x) for −708 ≤ x ≤ 709; below
// −708 it is 0 rather than a subnormal (e^−708 ≈ 3e−308), so sums of kernel
// values never pay for subnormal arithmetic. It is written to be inlined in
// the kernel loops, which math.Exp is not.

const (
	expShift   = 0x1.8p52 // adding it rounds to an integer held in the low bits
	expInvStep = 64 / math.Ln2
	// ln2/64 split so that k·expStepHi is exact for |k| < 2^17.
	expStepHi = 0x1.62e42fefa0000p-7
	expStepLo = 0x1.cf79abc9e3b3ap-46
	expMin    = -708.0
	expMax    = 709.0
)

// expTable[j] = 2^(j/64) rounded to nearest.
var expTable = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()

// fastExp returns e^x as described above; NaN for NaN, +Inf above 709.
func fastExp(x float64) float64 {
	if !(x >= expMin) {
		if x != x {
			return x
		}
		return 0
	}
	if x > expMax {
		return math.Exp(x)
	}
	kf := x*expInvStep + expShift
	k := int64(math.Float64bits(kf)) - int64(math.Float64bits(expShift))
	kf -= expShift
	r := (x - kf*expStepHi) - kf*expStepLo
	p := r * (1 + r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120)))))
	t := expTable[k&63]
	v := t + t*p
	return math.Float64frombits(math.Float64bits(v) + uint64(k>>6)<<52)
}
