package mmd

import "math"

// Table-driven exponential (Tang, "Table-driven implementation of the
// exponential function in IEEE floating-point arithmetic", ACM TOMS 1989):
// x = (256k + j)·ln2/256 + r with |r| ≤ ln2/512, so that
// exp(x) = 2^k · 2^(j/256) · e^r, with e^r − 1 from its degree-4 Taylor
// polynomial (truncation below 4e−17 relative). The result is within 2 ulp
// of exp(x) for −708 ≤ x ≤ 709; below −708 it is 0 rather than a
// subnormal (e^−708 ≈ 3e−308), so sums of kernel values never pay for
// subnormal arithmetic. The same steps are written out in the kernel loops
// (powplan.go), because the compiler does not inline a function this
// large and a call per exponential costs as much as the exponential.

const (
	expShift     = 0x1.8p52 // adding it rounds to an integer held in the low bits
	expInvStep   = 256 / math.Ln2
	expStepHi    = 0x1.62e42ff000000p-9   // ln2/256 to 32 bits: k·expStepHi is exact for |k| < 2^21
	expStepLo    = -0x1.718432a1b0e26p-43 // ln2/256 − expStepHi
	expMin       = -708.0
	expShiftBits = 0x4338000000000000
)

// expTable[j] = 2^(j/256) rounded to nearest.
var expTable = func() (t [256]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 256)
	}
	return t
}()

// fastExp returns e^x as described above for x ≤ 709; the estimators
// never pass NaN.
func fastExp(x float64) float64 {
	if x < expMin {
		return 0
	}
	kf := x*expInvStep + expShift
	kb := math.Float64bits(kf)
	kf -= expShift
	r := (x - kf*expStepHi) - kf*expStepLo
	p := r * (1 + r*(1.0/2+r*(1.0/6+r*(1.0/24))))
	t := expTable[uint8(kb)]
	// kb holds k in its low bits; adding bits 8… of it at bit 52 adds
	// ⌊k/256⌋ to the exponent, modulo 2^64 even when k is negative.
	return math.Float64frombits(math.Float64bits(t+t*p) + (kb>>8)<<52)
}
