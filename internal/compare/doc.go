// Package compare holds the comparison shared by the bench command and
// the root benchmarks: the registry of methods, the runner that measures
// one (target × method) cell, and the writers of its tables.
//
// A method is one [Method] in the registry (registry.go) plus its adapter
// code; whether it applies to a target is computed from what it needs.
// Its [Kind] says what it hands the harness, and so which columns its
// cells fill:
//
//   - KindIID: build(ctx, job) returns a built{sampler, info}. The build
//     is timed as setup; the cell's draws are made in one timed pass after
//     256 warm-up draws. Columns: setup, ns/sample, fidelity, acceptance.
//   - KindMCMC: chains(ctx, job) returns an *mcmc.Result (a peer's chains
//     wrapped into one). Warm-up is the setup and the sampling pass is
//     timed as above; R-hat, bulk ESS (worst coordinate, from
//     Result.Summary), ESS/s and acceptance come from the Result and are
//     warned about at mcmc's limits; fidelity is of the pooled draws.
//   - KindLearned: build(ctx, job) trains and returns
//     built{sampler: generator, steps: n}; the cell is then measured as an
//     i.i.d. one, with the training as setup ("training") and a steps
//     column. job.full asks for the full suite's budget; ctx cancels.
//
// So a learned row is a Method{Name, Kind: KindLearned, needs, Doc, build}
// added to the registry slice, and nothing else changes. A [Cell] is plain
// data; the draws and target its plots need travel beside it in
// [Results].Draws. One table of columns (columns.go) drives the text,
// Markdown, CSV and JSON writers. A panic in a method's code comes back
// as its cell's error.
package compare
