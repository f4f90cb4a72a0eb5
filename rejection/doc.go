// Package rejection implements rejection sampling: draw x from a simple
// proposal q and keep it with probability p(x) / (M·q(x)).
//
//   - [New] takes a bound log M from the user, and checks it while
//     sampling: a draw where p > M·q is an error naming x and the ratio,
//     never a silently biased sample.
//   - [NewAuto] computes log M = sup(log p − log q) by a multistart global
//     search, then keeps checking it the same way.
//   - [NewAdaptive] is adaptive rejection sampling for log-concave 1-D
//     densities (Gilks 1992, derivative-free): a piecewise-exponential hull
//     and a squeeze built from chords of the log density, refined until
//     almost every draw is accepted, most of them by the squeeze without
//     evaluating the density.
//
// Every sampler counts proposals, acceptances, squeeze hits and bound
// violations ([Stats]). Samplers are read-only after construction (the
// counters are atomic) and safe for concurrent use.
package rejection
