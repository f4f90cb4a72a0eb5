package compare

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// A Kind is what a method hands the harness, and so how its cells are
// measured and which columns they fill.
type Kind string

// The kinds of method.
const (
	KindIID     Kind = "iid"     // a sampler of independent draws
	KindMCMC    Kind = "mcmc"    // chains, as an mcmc.Result
	KindLearned Kind = "learned" // a trained generator, then i.i.d. draws
)

// kinds lists the kinds in report order.
var kinds = []Kind{KindIID, KindMCMC, KindLearned}

// A Method is one way of drawing from a target: a registry entry (see
// the package documentation for how one is written).
type Method struct {
	Name string
	Kind Kind
	// Doc says in a line what the method is.
	Doc string

	needs needs
	// check, if set, gives a reason the method does not apply to t
	// beyond needs ("" if it applies).
	check func(t *target.Target) string
	// build makes the sampler of a KindIID or KindLearned method.
	build func(ctx context.Context, j job) (built, error)
	// chains runs the chains of a KindMCMC method for about j.n kept
	// draws in all.
	chains func(ctx context.Context, j job) (*mcmc.Result, error)
}

// needs says what a method needs from a target.
type needs struct {
	oneD       bool     // the target is 1-D
	quantile   bool     // a quantile function
	cdf        bool     // a CDF
	density    bool     // a log density (every catalogue target has one)
	logConcave bool     // a log-concave density
	exact      bool     // exact samples
	noQuantile bool     // the method is for targets without a quantile
	only       []string // a peer that exists only for these targets
}

// A job is what a method is given for one cell.
type job struct {
	target *target.Target
	// rng is the cell's generator (i.i.d. and learned methods).
	rng *rand.Rand
	// seed is the cell's seed, for methods that derive streams of their
	// own (MCMC chains); base is the run's, from which every cell's is
	// derived.
	seed, base uint64
	// n is the number of draws the cell measures.
	n int
	// full is set in the full suite, where learned methods train on
	// their larger budget.
	full bool
	// models is the run's cache of shared trained models (nil: none).
	models *modelCache
}

// built is what a KindIID or KindLearned method's build returns.
type built struct {
	sampler sampler.Sampler
	// steps is the number of training steps (KindLearned).
	steps int
	// info holds method-specific figures (intervals, evaluations)
	// reported beside the cell.
	info map[string]float64
	// sharedMS is the training time of a model the cell took from the
	// run's cache: part of its setup cost though not spent in its build.
	sharedMS float64
}

// Applicable reports whether m applies to t, and if not, why.
func (m Method) Applicable(t *target.Target) (bool, string) {
	n := m.needs
	if m.check != nil {
		if why := m.check(t); why != "" {
			return false, why
		}
	}
	switch {
	case len(n.only) > 0 && !slices.Contains(n.only, t.Name):
		return false, notAPeer
	case n.oneD && t.Dim != 1:
		return false, "needs a 1-D target"
	case n.quantile && t.Quantile == nil:
		return false, "no quantile function"
	case n.cdf && t.CDF == nil:
		return false, "no CDF"
	case n.density && t.LogDensity == nil:
		return false, "no density"
	case n.logConcave && !t.LogConcave:
		return false, "not log-concave"
	case n.noQuantile && t.Quantile != nil:
		return false, "has a quantile: use the quantile method"
	case n.exact && t.Exact == nil:
		return false, "no exact sampler"
	}
	return true, ""
}

// Needs says in words what m needs from a target ("-" for nothing).
func (m Method) Needs() string {
	n := m.needs
	var s []string
	for _, f := range []struct {
		set  bool
		name string
	}{{n.oneD, "1-D"}, {n.quantile, "quantile"}, {n.cdf, "cdf"}, {n.density, "density"},
		{n.logConcave, "log-concave"}, {n.exact, "exact"}, {n.noQuantile, "no-quantile"}} {
		if f.set {
			s = append(s, f.name)
		}
	}
	if len(n.only) > 0 {
		s = append(s, "only "+strings.Join(n.only, "/"))
	}
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ",")
}

// Sampler builds the sampler of an i.i.d. or learned method for t, from
// the given seed, with the quick suite's budget. It is an error for an
// MCMC method, whose draws come from a run of chains (see [RunCell]).
func (m Method) Sampler(ctx context.Context, t *target.Target, seed uint64) (sampler.Sampler, error) {
	if m.build == nil {
		return nil, fmt.Errorf("%s is a %s method: it has no i.i.d. sampler", m.Name, m.Kind)
	}
	b, err := m.build(ctx, job{target: t, rng: sampler.NewRand(seed), seed: seed})
	if err == nil && b.sampler == nil {
		err = errors.New("method built no sampler")
	}
	return b.sampler, err
}

// Methods returns the registered methods in report order.
func Methods() []Method { return slices.Clone(registry) }

// MethodByName returns the registered method with the given name.
func MethodByName(name string) (Method, error) {
	for _, m := range registry {
		if m.Name == name {
			return m, nil
		}
	}
	names := make([]string, len(registry))
	for i, m := range registry {
		names[i] = m.Name
	}
	return Method{}, fmt.Errorf("unknown method %q (valid: %s)", name, strings.Join(names, ", "))
}

// registry is the one place methods are registered, in report order.
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
	gmnMethod,
	gmnMomentsMethod,
	ganMethod,
	ganAbsMethod,
	pacganMethod,
	ganDRSMethod,
	ganMHMethod,
}
