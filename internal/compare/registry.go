package compare

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// Needs says what a method needs from a target.
type Needs struct {
	OneD          bool     // the target is 1-D
	Quantile      bool     // a quantile function
	CDF           bool     // a CDF
	Density       bool     // a log density (every catalogue target has one)
	LogConcave    bool     // a log-concave density
	NotLogConcave bool     // the method is meant for targets that are not log-concave
	Exact         bool     // exact samples
	NoQuantile    bool     // the method is for targets without a quantile
	Only          []string // a peer that exists only for these targets
}

// Kind groups methods in the report.
type Kind string

// The kinds of method.
const (
	KindExact     Kind = "exact"
	KindInverse   Kind = "inverse"
	KindRejection Kind = "rejection"
	KindMCMC      Kind = "mcmc"
	KindPeer      Kind = "peer"
)

// A Built is what a method's constructor returns for one target.
type Built struct {
	// Sampler draws i.i.d. points; nil for MCMC methods.
	Sampler sampler.Sampler
	// Info holds method-specific figures (intervals, evaluations,
	// acceptance) reported beside the cell.
	Info map[string]float64
}

// A Chains is what an MCMC method returns: draws per chain (row-major,
// Dim per draw), the seconds spent sampling after warm-up, and figures
// such as acceptance.
type Chains struct {
	Draws       [][]float64
	Seconds     float64
	WarmSeconds float64
	Info        map[string]float64
	Warnings    []string
}

// A Method is one way of drawing from a target.
type Method struct {
	Name  string
	Kind  Kind
	Needs Needs
	// Doc says in a line what the method is.
	Doc string
	// Check, if set, gives a reason the method does not apply to t
	// beyond Needs ("" if it applies).
	Check func(t *target.Target) string
	// Build constructs an i.i.d. sampler for t (setup is timed around it).
	Build func(t *target.Target, rng *rand.Rand) (Built, error)
	// Run runs an MCMC method for about n kept draws in total.
	Run func(ctx context.Context, t *target.Target, n int, seed uint64) (Chains, error)
}

// Applicable reports whether m applies to t, and if not, why.
func (m Method) Applicable(t *target.Target) (bool, string) {
	n := m.Needs
	if m.Check != nil {
		if why := m.Check(t); why != "" {
			return false, why
		}
	}
	switch {
	case len(n.Only) > 0 && !contains(n.Only, t.Name):
		return false, notAPeer
	case n.OneD && t.Dim != 1:
		return false, "needs a 1-D target"
	case n.Quantile && t.Quantile == nil:
		return false, "no quantile function"
	case n.CDF && t.CDF == nil:
		return false, "no CDF"
	case n.Density && t.LogDensity == nil:
		return false, "no density"
	case n.LogConcave && !t.LogConcave:
		return false, "not log-concave"
	case n.NotLogConcave && t.LogConcave:
		return false, "log-concave: adaptive rejection applies"
	case n.NoQuantile && t.Quantile != nil:
		return false, "has a quantile: use the quantile method"
	case n.NoQuantile && t.Quantile != nil:
		return false, "has a quantile: see the quantile row"
	case n.Exact && t.Exact == nil:
		return false, "no exact sampler"
	}
	return true, ""
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Methods returns the registered methods in report order.
func Methods() []Method { return append([]Method(nil), registry...) }

// MethodByName returns the registered method with the given name.
func MethodByName(name string) (Method, error) {
	for _, m := range registry {
		if m.Name == name {
			return m, nil
		}
	}
	return Method{}, fmt.Errorf("unknown method %q (valid: %s)", name, strings.Join(MethodNames(), ", "))
}

// MethodNames lists the registered methods' names.
func MethodNames() []string {
	out := make([]string, len(registry))
	for i, m := range registry {
		out[i] = m.Name
	}
	return out
}

// registry is the one place methods are registered.
var registry = []Method{
	exactMethod,
	tableMethod,
	quantileMethod,
	inverterMethod,
	adaptiveMethod,
	autoMethod,
	amMethod,
	ramMethod,
	stretchMethod,
	gonumRandMethod,
	gonumRejectionMethod,
	gonumMHMethod,
}
