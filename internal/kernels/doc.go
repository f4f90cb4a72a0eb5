// Package kernels holds the numerical kernels that the MMD estimators and
// the dense networks share: Gemm, a row-major float64 matrix product with
// the transposes a forward and backward pass need (A·B, A·Bᵀ, Aᵀ·B and
// Aᵀ·Bᵀ), and the vector kernels behind the kernel sums: Dist2Cols,
// GaussPowSum and GradCols for the low-dimensional MMD tiles (points
// stored coordinate by coordinate), GaussPowValues, and AddWeighted,
// Axpy, Dot, ExpNeg, AddPow and Exp.
//
// Each kernel has assembly for amd64 — an AVX-512 micro-kernel for Gemm,
// AVX2 with FMA for Gemm and the vector kernels — and a plain-Go twin that
// every other architecture builds. The processor's features are read once
// from golang.org/x/sys/cpu; SetPath forces one implementation, so that a
// single machine tests them all. The paths agree to rounding, and on one
// path the results never depend on GOMAXPROCS.
//
// Gemm packs its operands into panels (or, on the AVX-512 path, reads them
// in place where that is cheaper) and multiplies them by register tiles,
// the method of Goto & van de Geijn (ACM TOMS 34(3), 2008) as
// refined in BLIS (Van Zee & van de Geijn, ACM TOMS 41(3), 2015), on all
// cores above a size threshold; in steady state it allocates nothing.
package kernels
