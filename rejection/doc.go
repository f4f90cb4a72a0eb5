// Package rejection implements rejection sampling: draw x from a simple
// proposal q and keep it with probability p(x) / (M·q(x)).
//
//   - [New] takes a bound log M from the user, and checks it while
//     sampling: a draw where p > M·q is an error naming x and the ratio,
//     never a silently biased sample.
//   - [NewAuto] computes log M = sup(log p − log q) by a multistart global
//     search, then keeps checking it the same way.
//   - [NewAdaptive] is adaptive rejection sampling for log-concave 1-D
//     densities (Gilks 1992, derivative-free): a hull and a squeeze built
//     from chords of the log density, refined until almost every draw is
//     accepted at once, with immediate acceptance (Hörmann, Leydold &
//     Derflinger 2004): one uniform, a table look-up and a linear map, no
//     density evaluation.
//
// New and NewAuto score candidates in blocks and decide acceptance from
// the leading bits of the uniform and a table of logarithms, so that an
// exponential is needed about once in 256 candidates; a proposal that
// implements [ConstantDensity], such as [UniformBox], is not evaluated at
// all.
//
// Every sampler counts proposals, acceptances, squeeze hits, immediate
// acceptances and bound violations ([Stats]). Samplers are read-only
// after construction (the counters are atomic) and safe for concurrent
// use.
//
// Bad input is an error naming what to change. User functions (log
// densities, proposals) are called on the caller's goroutine, so a panic
// in one propagates to the caller with its value: a constructor then
// returns nothing, and a sampler whose call was interrupted is left as it
// was, its later draws exact (its counters may include part of the
// interrupted call).
package rejection
