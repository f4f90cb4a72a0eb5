//go:build race

package mcmc_test

const raceEnabled = true
