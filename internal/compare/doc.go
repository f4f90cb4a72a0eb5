// Package compare holds the comparison shared by the bench command and
// the root benchmarks: the registry of methods, what each needs from a
// target, the runner that measures one (target × method) cell, and the
// writers of its tables.
//
// # Methods and their kinds
//
// A method is one [Method] value in the registry (registry.go) plus its
// own adapter code. Whether it applies to a target is computed from what
// it needs (a needs value, and an optional check for reasons of its own),
// so adding a method never means listing targets by hand. Its [Kind] says
// what it hands the harness, and so how a cell is measured and which
// columns of the tables it fills:
//
//   - [KindIID]: build(ctx, job) returns a built whose sampler draws
//     i.i.d. points. The build is timed as the cell's setup; then the
//     cell's draws are made in one timed pass after 256 warm-up draws,
//     and their fidelity is measured. Columns: setup, ns/sample, the
//     fidelity figures, and the acceptance of rejection samplers.
//   - [KindMCMC]: chains(ctx, job) runs chains for about job.n kept draws
//     in all and returns an *mcmc.Result (a peer's chains wrapped into
//     one, as the gonum row does). Warm-up is the setup, the sampling
//     pass is timed as an i.i.d. cell's draws are, and R-hat, bulk ESS
//     (worst coordinate, from Result.Summary), ESS per second and the
//     acceptance come from the Result, warned about at mcmc's limits.
//     The fidelity figures are measured on the pooled draws.
//   - [KindLearned]: build(ctx, job) trains a generator and returns it
//     as the built's sampler, with the number of training steps in
//     built.steps; it is then measured exactly as an i.i.d. cell. The
//     training is the setup (the "training" column), and the steps have a
//     column of their own. job.full asks for the full suite's larger
//     budget, and ctx cancels the training.
//
// A learned row is therefore written as
//
//	var gmnMethod = Method{
//		Name:  "gmn",
//		Kind:  KindLearned,
//		needs: needs{exact: true},
//		Doc:   "…",
//		build: func(ctx context.Context, j job) (built, error) {
//			// train on j.target, seeded by j.rng, budget by j.full
//			return built{sampler: g, steps: n}, err
//		},
//	}
//
// and added to the registry slice; nothing else in the harness changes.
//
// # Cells and columns
//
// A [Cell] is plain data; the draws and the target its plots need travel
// beside it in [Results].Draws. One table of columns (columns.go) names
// every field, its heading per kind, and how it is printed, and drives
// the text, Markdown, CSV and JSON writers. A panic in a method's code,
// on the cell's goroutine or on the gonum peer's chains, comes back as
// the cell's error.
package compare
