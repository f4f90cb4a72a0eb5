// Package transform implements the inverse-transform family: Y = F⁻¹(U)
// for a uniform U, and more generally Y = g(U₁, …, U_k).
//
//   - [Quantile] samples from an analytic quantile function.
//   - [NewInverter] inverts a CDF numerically: the generalised inverse
//     inf{x : F(x) ≥ u}, correct on flat parts and jumps, so discrete and
//     mixed distributions work too.
//   - [NewTable] is the fast path: from nothing but a density it builds an
//     interpolated inverse CDF with a guaranteed u-error, after
//     Derflinger, Hörmann & Leydold (2010), the method behind UNU.RAN's
//     PINV and SciPy's NumericalInversePolynomial. Setup costs a bounded
//     number of density evaluations (see the README's comparison table
//     for each target's setup); a draw then costs one
//     uniform, a table lookup and a degree-5 polynomial, whatever the
//     distribution.
//   - [NewDiscrete] samples a finite discrete distribution in O(1) by
//     Walker's alias method.
//   - [Map] is the general transformation method, with Box–Muller as the
//     worked example ([BoxMuller]).
//
// Every sampler here is read-only after construction and safe for
// concurrent use.
//
// Bad input is an error naming what to change; a nil function or a
// non-positive dimension is a programmer error and panics. User functions
// (densities, CDFs, quantiles, maps) are called on the caller's
// goroutine, so a panic in one propagates to the caller with its value:
// a constructor then returns nothing, and a sampler keeps no state from
// the interrupted call.
package transform
