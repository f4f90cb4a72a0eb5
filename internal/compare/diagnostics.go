package compare

import "github.com/variate/variate/mcmc"

// diagnose returns the rank-normalised split R-hat and the bulk effective
// sample size of one scalar given as chains × draws; NaN where they are
// undefined (a chain that never moved, a non-finite draw).
func diagnose(chains [][]float64) (rhat, essBulk float64) {
	return mcmc.RHat(chains), mcmc.ESSBulk(chains)
}
