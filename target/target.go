package target

import (
	"github.com/variate/variate/sampler"
)

// A Target describes one distribution and carries only what is known
// about it. A capability that is not known is nil (functions, slices) or
// NaN (numbers); a method that needs it reports "not applicable" rather
// than guessing.
//
// A Target is read-only after construction and safe for concurrent use.
type Target struct {
	// Name identifies the target, e.g. "student-t".
	Name string
	// Dim is the dimension of one point.
	Dim int

	// LogDensity is the log density at x (len(x) == Dim), up to an
	// additive constant; -Inf outside the support. Never nil.
	LogDensity func(x []float64) float64
	// LogDensity1D is LogDensity for a scalar argument, for 1-D targets
	// (no slice, so no allocation on hot paths). Nil when Dim > 1.
	LogDensity1D func(x float64) float64
	// LogZ is log ∫ exp(LogDensity), so LogDensity − LogZ is the
	// normalised log density. NaN when not known.
	LogZ float64

	// CDF is the cumulative distribution function of a 1-D target. Nil
	// when Dim > 1 or when no CDF is known.
	CDF func(x float64) float64
	// Quantile is the inverse CDF of a 1-D target, inf{x: CDF(x) >= p}
	// for p in [0, 1]. Nil when Dim > 1 or not known.
	Quantile func(p float64) float64
	// Lo and Hi bound the support of a 1-D target (possibly infinite).
	// Both are zero when Dim > 1.
	Lo, Hi float64

	// Exact is an exact reference sampler for the target. Never nil for
	// the catalogue targets.
	Exact sampler.Sampler

	// Modes lists the centres and spreads of a mixture's components, for
	// mode-coverage measures. Nil for targets that are not mixtures of
	// well-separated modes.
	Modes []Mode
	// LogConcave reports that the density is log-concave (1-D targets).
	LogConcave bool

	// Mean and Var are the exact mean and the exact marginal variances,
	// one entry per coordinate. Nil when not known or not finite.
	Mean, Var []float64

	// tails is what the package knows of a 1-D target's upper tail beyond
	// its CDF, for Truncate; nil when nothing more is known.
	tails *tails
}

// tails describes a 1-D target where its CDF is close to 1.
type tails struct {
	// sf is the survival function 1 − CDF, with full relative precision
	// where the CDF rounds to 1; isf is its generalised inverse,
	// inf{x: sf(x) ≤ s}.
	sf, isf func(float64) float64
	// normal says the target is N(loc, scale²), for Truncate's tail
	// sampler.
	normal     bool
	loc, scale float64
}

// A Mode is one component of a mixture: its centre (Dim coordinates) and
// its standard deviation, the same in every coordinate.
type Mode struct {
	Centre []float64
	Sigma  float64
}
