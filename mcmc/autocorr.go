package mcmc

import "math"

// autocorrWindowC is the c of Sokal's automatic window, M ≥ c·τ(M).
const autocorrWindowC = 5

// AutocorrTime returns the integrated autocorrelation time τ of one
// scalar parameter given as chains × draws (for an ensemble sampler, one
// chain per walker), as emcee 3 computes it (emcee.autocorr.integrated_time
// with c = 5; Foreman-Mackey, Hogg, Lang & Goodman, "emcee: the MCMC
// hammer", PASP 125, 2013, and the emcee autocorrelation tutorial).
//
// Each chain's normalised autocorrelation function ρ_k(t) is estimated
// about the chain's own mean (see [Autocovariance]); the functions are
// averaged over chains, ρ̄(t), and
//
//	τ(M) = 1 + 2·Σ_{t=1..M} ρ̄(t)
//
// is read at Sokal's automatic window, the smallest M with M ≥ 5·τ(M)
// (the automatic windowing of A. Sokal, "Monte Carlo methods in
// statistical mechanics: foundations and new algorithms", Cargèse lecture
// notes, 1996). Averaging the
// function rather than the per-chain τ is emcee's choice, and so is
// centring each chain at its own mean: chains at different levels are not
// penalised here as they are by [RHat] and [ESSBulk].
//
// τ is the factor by which correlation inflates the variance of a chain's
// mean; draws per chain over τ is a rough effective sample size per chain.
// The window estimate is trustworthy only when every chain is at least 50τ
// draws long (emcee's default tol; emcee raises AutocorrError below it):
// on shorter chains it underestimates τ, because the sample autocorrelations
// of a centred series sum to −½. For antithetic chains τ is below 1 and can
// be negative, as emcee's is.
//
// It is NaN if a draw is NaN or infinite, or a chain's draws are all equal
// (emcee returns nan for these too). Chains of different lengths, or no
// chains, panic.
func AutocorrTime(chains [][]float64) float64 {
	x := matrix(chains)
	n := len(x[0])
	rho := make([]float64, n)
	for _, c := range x {
		constant := true
		for _, v := range c {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return math.NaN()
			}
			constant = constant && v == c[0]
		}
		if constant {
			return math.NaN()
		}
		a := Autocovariance(scaled(c, scaleOf(c))) // τ does not depend on the scale
		for t := range rho {
			rho[t] += a[t] / a[0]
		}
	}
	for t := range rho {
		rho[t] /= float64(len(x))
	}
	// τ(n−1) is 0 up to rounding (the autocovariances of a centred series
	// sum to zero over all lags), so a window exists for n ≥ 2 and the
	// NaN below is a guard, not an expected result.
	var sum float64
	for m, r := range rho {
		sum += r
		tau := 2*sum - 1
		if !(float64(m) < autocorrWindowC*tau) {
			return tau
		}
	}
	return math.NaN()
}
