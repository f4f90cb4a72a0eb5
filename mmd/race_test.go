//go:build race

package mmd

const raceEnabled = true
