// Package train is the training loop that the learned routes share: it
// runs a trainer's step function until a budget of steps or wall time is
// spent, reports progress (and, every so many steps, a fidelity figure the
// trainer computes on held-out data), draws a progress bar when standard
// error is a terminal, writes checkpoints atomically and resumes from them
// bit for bit, stops within one step when its context is cancelled, and
// stops with an error naming the step when a loss is NaN or infinite,
// keeping the last parameters whose loss was finite.
//
// The loop knows nothing of networks: a trainer describes what must be
// saved as a State — parameter tensors, other float tensors (optimiser
// moments, a minibatch order) and opaque binary values (random sources,
// optimiser counters) — and supplies a StepFunc that advances it by one
// step. Run owns the bookkeeping around it.
package train
