package main

import "github.com/variate/variate/internal/compare"

// plotFile is one PNG in the report.
type plotFile struct {
	Name, Title, Section string
}

// writePlots draws the report's figures into dir.
func writePlots(dir string, r *compare.Results) ([]plotFile, error) {
	return nil, nil
}
