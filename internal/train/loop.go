package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"time"
)

// A Budget says how long to train: a number of steps, a wall time, or both
// (whichever is reached first). Both count the whole run, including the
// steps and time of the checkpoint it resumed from. At least one must be
// positive and neither negative.
type Budget struct {
	Steps    int
	Duration time.Duration
}

func (b Budget) check() error {
	if b.Steps < 0 || b.Duration < 0 {
		return fmt.Errorf("train: budget of %d steps and %v is negative; give a positive number of steps or a positive duration", b.Steps, b.Duration)
	}
	if b.Steps == 0 && b.Duration == 0 {
		return errors.New("train: the budget is zero; give a positive number of steps or a positive duration")
	}
	return nil
}

// A StepFunc performs training step number step (1 for the first step of
// a run, counting the steps of a resumed checkpoint) and returns its
// losses, computed at the parameters it started from. It changes only
// what the State describes. If it returns an error, Run stops and puts
// the parameters back as they were before the step.
//
// Long steps should watch ctx and return its error.
type StepFunc func(ctx context.Context, step int) (losses []float64, err error)

// A Report is what the progress callback receives after a step.
type Report struct {
	// Step is the number of steps completed.
	Step int
	// Losses are the step's losses; the slice is the StepFunc's and is
	// valid during the callback only.
	Losses []float64
	// Elapsed is the training time so far, including that of a resumed
	// checkpoint.
	Elapsed time.Duration
	// Fidelity is the figure the Loop's Fidelity function returned at
	// this step, or NaN when it was not measured here.
	Fidelity float64
}

// A Loop runs a StepFunc under a budget with progress, checkpoints and
// resumption. The zero value of each field is its documented default;
// Budget must be set.
type Loop struct {
	// Budget is how long to train.
	Budget Budget
	// Fingerprint identifies the configuration (see Fingerprint). A
	// checkpoint resumes only a run with the same fingerprint.
	Fingerprint string
	// LossNames label the losses in the progress bar and in errors;
	// default "loss", "loss 2", ….
	LossNames []string

	// Progress, if set, is called on the caller's goroutine after every
	// ProgressEvery-th step (default 1), after every step where fidelity
	// is measured, and after the last step.
	Progress      func(Report)
	ProgressEvery int
	// Fidelity, if set, is called after every FidelityEvery-th step
	// (FidelityEvery must then be positive) and after the last step; the
	// trainer measures there how close its model is to held-out data. An
	// error from it stops the run.
	Fidelity      func(ctx context.Context) (float64, error)
	FidelityEvery int

	// Checkpoint, if not empty, is the file checkpoints are written to,
	// atomically: after every CheckpointEvery-th step, when
	// CheckpointInterval has passed since the last one, and when the run
	// ends by its budget or by cancellation between two steps. A run that
	// ends in an error from its step or a non-finite loss leaves the last
	// checkpoint written before it.
	Checkpoint         string
	CheckpointEvery    int
	CheckpointInterval time.Duration
	// Resume, if not empty, is a checkpoint to start from: written by a
	// Loop with the same Fingerprint and a State of the same shape. It may
	// be the same file as Checkpoint.
	Resume string

	// Bar is where the progress bar is drawn: nil means os.Stderr. It is
	// drawn only when Bar is a terminal (a character device), and never
	// when NoBar is set.
	Bar   *os.File
	NoBar bool
}

// A Result says where a run stopped.
type Result struct {
	// Steps is the number of steps whose parameters the State holds:
	// after a non-finite loss, the last step whose loss was finite.
	Steps int
	// Resumed is the step the run started from (0 for a fresh run).
	Resumed int
	// Elapsed is the training time, including that of the checkpoint
	// resumed from.
	Elapsed time.Duration
	// Losses are the losses of the last step with finite losses (nil if
	// there was none).
	Losses []float64
	// Fidelity is the last fidelity figure measured, NaN if none.
	Fidelity float64
}

// Run trains st by calling step until the budget is spent, the context is
// cancelled, or something fails. It returns the Result in every case,
// together with:
//   - nil when the budget was spent;
//   - ctx's error when ctx was cancelled; the State then holds the last
//     completed step, and a checkpoint of it is written if one is
//     configured and the cancellation came between two steps;
//   - an error naming the step and the loss when a loss is NaN or
//     infinite; the parameters are then those of the last step whose loss
//     was finite (the other buffers and blobs are not rolled back);
//   - an error from step, Fidelity, a checkpoint, or a bad configuration.
//
// It panics if the State has empty or repeated names.
func (l *Loop) Run(ctx context.Context, st *State, step StepFunc) (Result, error) {
	res := Result{Fidelity: math.NaN()}
	st.check()
	if err := l.Budget.check(); err != nil {
		return res, err
	}
	if l.ProgressEvery < 0 || l.FidelityEvery < 0 || l.CheckpointEvery < 0 || l.CheckpointInterval < 0 {
		return res, fmt.Errorf("train: negative interval (ProgressEvery %d, FidelityEvery %d, CheckpointEvery %d, CheckpointInterval %v)",
			l.ProgressEvery, l.FidelityEvery, l.CheckpointEvery, l.CheckpointInterval)
	}
	if l.Fidelity != nil && l.FidelityEvery == 0 {
		return res, errors.New("train: a Fidelity function needs a positive FidelityEvery")
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	var base time.Duration
	if l.Resume != "" {
		c, err := readCheckpoint(l.Resume, l.Fingerprint, st, func(c Checkpoint) error {
			if l.Budget.Steps > 0 && c.Step > l.Budget.Steps {
				return fmt.Errorf("train: checkpoint holds %d steps, more than the budget of %d", c.Step, l.Budget.Steps)
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		res.Steps, res.Resumed, base = c.Step, c.Step, c.Elapsed
	}
	progressEvery := max(l.ProgressEvery, 1)

	var b *bar
	if !l.NoBar {
		f := l.Bar
		if f == nil {
			f = os.Stderr
		}
		if isTerminal(f) {
			b = newBar(f, l.Budget, l.lossName)
		}
	}
	t0 := time.Now()
	elapsed := func() time.Duration { return base + time.Since(t0) }
	lastCkpt, lastCkptTime := -1, t0
	fidStep, progStep := -1, -1
	writeCkpt := func() error {
		if l.Checkpoint == "" {
			return nil
		}
		res.Elapsed = elapsed()
		err := WriteCheckpoint(l.Checkpoint, Checkpoint{Fingerprint: l.Fingerprint, Step: res.Steps, Elapsed: res.Elapsed}, st)
		lastCkpt, lastCkptTime = res.Steps, time.Now()
		return err
	}
	finish := func(err error) (Result, error) {
		res.Elapsed = elapsed()
		if b != nil {
			b.finish()
		}
		return res, err
	}

	n := st.paramLen()
	pre, good := make([]float64, n), make([]float64, n)
	haveGood := false
	for s := res.Steps + 1; ; s++ {
		done := l.Budget.Steps > 0 && s > l.Budget.Steps ||
			l.Budget.Duration > 0 && elapsed() >= l.Budget.Duration
		if err := ctx.Err(); err != nil || done {
			if err == nil && res.Steps > res.Resumed && fidStep != res.Steps && l.Fidelity != nil {
				f, ferr := l.Fidelity(ctx)
				if ferr != nil {
					return finish(fmt.Errorf("train: fidelity after step %d: %w", res.Steps, ferr))
				}
				res.Fidelity, fidStep = f, res.Steps
				progStep = -1
			}
			if err == nil && res.Steps > res.Resumed && progStep != res.Steps && l.Progress != nil {
				l.Progress(Report{Step: res.Steps, Losses: res.Losses, Elapsed: elapsed(), Fidelity: fidAt(fidStep, res)})
			}
			if l.Checkpoint != "" && lastCkpt != res.Steps {
				if cerr := writeCkpt(); cerr != nil {
					return finish(cerr)
				}
			}
			return finish(err)
		}

		st.saveParams(pre)
		losses, err := step(ctx, s)
		if err != nil {
			st.loadParams(pre)
			if cerr := ctx.Err(); cerr != nil && errors.Is(err, cerr) {
				return finish(cerr)
			}
			return finish(fmt.Errorf("train: step %d: %w", s, err))
		}
		for i, v := range losses {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				kept := s - 2
				if haveGood {
					st.loadParams(good)
				} else {
					st.loadParams(pre)
					kept = s - 1
				}
				res.Steps = kept
				return finish(&NonFiniteError{Loss: l.lossName(i), Value: v, Step: s, Kept: kept})
			}
		}
		pre, good, haveGood = good, pre, true
		res.Steps = s
		res.Losses = append(res.Losses[:0], losses...)

		last := l.Budget.Steps > 0 && s == l.Budget.Steps
		fid := math.NaN()
		if l.Fidelity != nil && (s%l.FidelityEvery == 0 || last) {
			f, ferr := l.Fidelity(ctx)
			if ferr != nil {
				return finish(fmt.Errorf("train: fidelity after step %d: %w", s, ferr))
			}
			fid, res.Fidelity, fidStep = f, f, s
		}
		if l.Progress != nil && (s%progressEvery == 0 || !math.IsNaN(fid) || last) {
			l.Progress(Report{Step: s, Losses: losses, Elapsed: elapsed(), Fidelity: fid})
			progStep = s
		}
		if b != nil {
			b.draw(s, losses, res.Fidelity, elapsed(), last)
		}
		if l.Checkpoint != "" && (l.CheckpointEvery > 0 && s%l.CheckpointEvery == 0 ||
			l.CheckpointInterval > 0 && time.Since(lastCkptTime) >= l.CheckpointInterval) {
			if err := writeCkpt(); err != nil {
				return finish(err)
			}
		}
	}
}

func (l *Loop) lossName(i int) string {
	if i < len(l.LossNames) && l.LossNames[i] != "" {
		return l.LossNames[i]
	}
	if i == 0 {
		return "loss"
	}
	return fmt.Sprintf("loss %d", i+1)
}

// fidAt is the fidelity to report at the end: the last figure if it was
// measured at the last step, NaN otherwise.
func fidAt(fidStep int, res Result) float64 {
	if fidStep == res.Steps {
		return res.Fidelity
	}
	return math.NaN()
}

// A NonFiniteError reports a loss that turned NaN or infinite.
type NonFiniteError struct {
	// Loss names the loss, Value is what it was.
	Loss  string
	Value float64
	// Step is the step that computed it; Kept is the step whose
	// parameters the State was put back to, the last whose loss was
	// finite.
	Step, Kept int
}

func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("train: %s is %v at step %d; kept the parameters after step %d, the last whose loss was finite; lower the step size or clip the gradient", e.Loss, e.Value, e.Step, e.Kept)
}
