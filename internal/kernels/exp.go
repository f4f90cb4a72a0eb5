package kernels

import "math"

// ExpMin is where every exponential of the package clamps its argument:
// e^−708 ≈ 3.3e−308 is close to the smallest normal number, so that sums
// of kernel values never pay for subnormal arithmetic, and a value below
// it comes out as e^−708, an absolute error below 3.3e−308.
const ExpMin = -708.0

// Exp returns e^max(x, ExpMin) for x ≤ 709, within 2 ulp of math.Exp. It
// is table-driven (Tang, "Table-driven implementation of the exponential
// function in IEEE floating-point arithmetic", ACM TOMS 15(2), 1989):
// x = (256k + j)·ln2/256 + r with |r| ≤ ln2/512, so that
// e^x = 2^k · 2^(j/256) · e^r, with e^r − 1 from its degree-4 Taylor
// polynomial (truncation below 4e−17 relative). NaN gives NaN; x above
// 709 gives garbage, which no caller passes.
func Exp(x float64) float64 {
	x = max(x, ExpMin)
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

const (
	expShift   = 0x1.8p52 // adding it rounds to an integer held in the low bits
	expInvStep = 256 / math.Ln2
	expStepHi  = 0x1.62e42ff000000p-9   // ln2/256 to 32 bits: k·expStepHi is exact for |k| < 2^21
	expStepLo  = -0x1.718432a1b0e26p-43 // ln2/256 − expStepHi
)

// expTable[j] = 2^(j/256) rounded to nearest.
var expTable = func() (t [256]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 256)
	}
	return t
}()
