// Package kernels holds the numerical kernels that the MMD estimators and
// the dense networks share: a row-major float64 matrix product with the
// transposes a forward and backward pass need, and the vector kernels
// behind the kernel sums. Each kernel has an assembly path for amd64 and a
// plain-Go twin that every other architecture builds.
package kernels
