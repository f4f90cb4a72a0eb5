package compare

import "github.com/variate/variate/mcmc"

// diagnose returns the rank-normalised split R-hat and the bulk effective
// sample size of one scalar given as chains × draws, as mcmc computes
// them: NaN where posterior says NA (every draw equal, a NaN draw), and
// an infinite R-hat for chains stuck at different values.
func diagnose(chains [][]float64) (rhat, essBulk float64) {
	return mcmc.RHat(chains), mcmc.ESSBulk(chains)
}
