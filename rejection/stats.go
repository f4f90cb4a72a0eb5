package rejection

import "sync/atomic"

// Stats counts what a sampler has done since it was built.
type Stats struct {
	Proposals   int64 // candidates drawn from the proposal or envelope
	Accepted    int64 // candidates kept
	SqueezeHits int64 // candidates kept without evaluating the density
	Violations  int64 // candidates where the density exceeded the bound
	// Immediate counts the candidates kept at once, on the single
	// uniform that chose them (adaptive sampling; a subset of
	// SqueezeHits).
	Immediate int64
}

// Acceptance is Accepted/Proposals (NaN before any proposal).
func (s Stats) Acceptance() float64 {
	return float64(s.Accepted) / float64(s.Proposals)
}

type counters struct {
	proposals, accepted, squeeze, violations, immediate atomic.Int64
}

func (c *counters) add(p, a, s, v int64) {
	c.proposals.Add(p)
	c.accepted.Add(a)
	c.squeeze.Add(s)
	c.violations.Add(v)
}

func (c *counters) addImmediate(n int64) { c.immediate.Add(n) }

func (c *counters) stats() Stats {
	return Stats{c.proposals.Load(), c.accepted.Load(), c.squeeze.Load(), c.violations.Load(), c.immediate.Load()}
}
