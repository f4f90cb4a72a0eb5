package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/variate/variate/internal/compare"
	"github.com/variate/variate/target"
)

const shortUsage = "usage: go run ./bench [flags]; -list shows targets and methods, -h the flags"

// usageError marks a bad command line (exit status 2); the message has
// already been printed with the usage.
type usageError struct{ error }

type options struct {
	suite, targets, methods, out, format, readme string
	n                                            int
	seed                                         uint64
	list                                         bool
	mnist                                        mnistOptions
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.suite, "suite", "quick", "quick, full (larger n, several seeds, mean ± sd) or mnist (the learned generators on MNIST)")
	fs.StringVar(&o.targets, "targets", "", "comma-separated targets (default all; see -list)")
	fs.StringVar(&o.methods, "methods", "", "comma-separated methods (default all; see -list)")
	fs.IntVar(&o.n, "n", 0, "draws per cell (default 100000 quick, 1000000 full)")
	fs.Uint64Var(&o.seed, "seed", 1, "base seed")
	fs.StringVar(&o.out, "out", "variate-report", "report directory (empty: write no report)")
	fs.StringVar(&o.format, "format", "text", "stdout format: text, md, json or csv")
	fs.StringVar(&o.readme, "readme", "", "rewrite the comparison section of this README file with the run's results")
	fs.BoolVar(&o.list, "list", false, "list targets and methods with what each needs")
	o.mnist.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./bench [flags]\n\nRuns every applicable method on every catalogue target and reports fidelity and speed.\n\nflags:")
		fs.PrintDefaults()
	}
	bad := func(format string, a ...any) (options, error) {
		fmt.Fprintf(stderr, "bench: "+format+"\n", a...)
		fs.Usage()
		return o, usageError{fmt.Errorf(format, a...)}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, usageError{err}
		}
		return o, usageError{err}
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	switch o.suite {
	case "quick", "full", "mnist":
	default:
		return bad("unknown suite %q (valid: quick, full, mnist)", o.suite)
	}
	switch o.format {
	case "text", "md", "json", "csv":
	default:
		return bad("unknown format %q (valid: text, md, json, csv)", o.format)
	}
	if o.n < 0 || (o.n == 0 && isSet(fs, "n")) {
		return bad("-n must be positive, got %d", o.n)
	}
	if o.n == 0 {
		o.n = 100000
		if o.suite == "full" {
			o.n = 1000000
		}
	}
	return o, nil
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// selection resolves -targets and -methods.
func selection(o options, stderr io.Writer) ([]*target.Target, []compare.Method, error) {
	targets := target.Catalog()
	if names := split(o.targets); len(names) > 0 {
		targets = targets[:0]
		for _, n := range names {
			t, err := target.ByName(n)
			if err != nil {
				fmt.Fprintln(stderr, "bench:", strings.TrimPrefix(err.Error(), "target: "))
				fmt.Fprintln(stderr, shortUsage)
				return nil, nil, usageError{err}
			}
			targets = append(targets, t)
		}
	}
	methods := compare.Methods()
	if names := split(o.methods); len(names) > 0 {
		methods = methods[:0]
		for _, n := range names {
			m, err := compare.MethodByName(n)
			if err != nil {
				fmt.Fprintln(stderr, "bench:", err)
				fmt.Fprintln(stderr, shortUsage)
				return nil, nil, usageError{err}
			}
			methods = append(methods, m)
		}
	}
	return targets, methods, nil
}

// errInterrupted is returned when the run was cancelled (Ctrl-C) before
// every cell had run; main exits with the shell's status for SIGINT.
var errInterrupted = errors.New("interrupted")

// run is the whole command, so that tests call it like a function.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	if o.list {
		return list(stdout)
	}
	if o.suite == "mnist" {
		return runMNIST(ctx, o, stdout, stderr)
	}
	targets, methods, err := selection(o, stderr)
	if err != nil {
		return err
	}
	if o.out != "" {
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return fmt.Errorf("cannot write the report: %w", err)
		}
	}
	seeds := []uint64{o.seed}
	if o.suite == "full" {
		seeds = []uint64{o.seed, o.seed + 1, o.seed + 2}
	}
	progress := progressFunc(stderr)
	var runs []*compare.Results
	for _, s := range seeds {
		r := compare.Run(ctx, targets, methods, compare.Config{N: o.n, Seed: s, Full: o.suite == "full"}, progress)
		r.Meta.Suite = o.suite
		runs = append(runs, r)
		if r.Meta.Interrupted {
			break
		}
	}
	if progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	res := runs[0]
	var summary []compare.Summary
	if len(runs) > 1 {
		summary = compare.Summarise(runs)
	}
	switch o.format {
	case "text":
		err = compare.WriteText(stdout, res)
		if err == nil && summary != nil {
			fmt.Fprintf(stdout, "\nmean ± sd over %d seeds:\n", len(runs))
			err = compare.WriteSummaryText(stdout, summary)
		}
	case "md":
		err = compare.WriteMarkdown(stdout, res, 3)
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(res)
	case "csv":
		err = compare.WriteCSV(stdout, runs...)
	}
	if err != nil {
		return err
	}
	if o.out != "" {
		if err := writeReport(o.out, runs, summary); err != nil {
			return fmt.Errorf("cannot write the report: %w", err)
		}
	}
	if o.readme != "" && !interrupted(runs) {
		if err := updateReadme(o.readme, res); err != nil {
			return err
		}
	}
	if interrupted(runs) {
		done, planned := measured(runs, len(seeds))
		fmt.Fprintf(stderr, "bench: interrupted after %d of %d cells", done, planned)
		if o.out != "" {
			fmt.Fprintf(stderr, "; %s holds what was measured", o.out)
		}
		fmt.Fprintln(stderr)
		return errInterrupted
	}
	failed := 0
	for _, r := range runs {
		failed += r.Failed()
	}
	if failed > 0 {
		return fmt.Errorf("%d cell(s) failed; see the table", failed)
	}
	return nil
}

// interrupted reports whether the last run was cut short.
func interrupted(runs []*compare.Results) bool { return runs[len(runs)-1].Meta.Interrupted }

// measured counts the cells measured, and those planned over all seeds.
func measured(runs []*compare.Results, seeds int) (done, planned int) {
	for _, r := range runs {
		done += len(r.Cells)
	}
	return done, runs[0].Meta.Planned * seeds
}

// progressFunc reports progress on stderr only when it is a terminal.
func progressFunc(stderr io.Writer) func(i, total int, t, m string) {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(i, total int, t, m string) {
		fmt.Fprintf(stderr, "\r\033[K[%d/%d] %s × %s", i+1, total, t, m)
	}
}

func list(w io.Writer) error {
	fmt.Fprintln(w, "targets:")
	for _, t := range target.Catalog() {
		var has []string
		if t.CDF != nil {
			has = append(has, "cdf")
		}
		if t.Quantile != nil {
			has = append(has, "quantile")
		}
		if t.LogConcave {
			has = append(has, "log-concave")
		}
		if len(t.Modes) > 0 {
			has = append(has, fmt.Sprintf("%d modes", len(t.Modes)))
		}
		fmt.Fprintf(w, "  %-12s dim %-2d density exact %s\n", t.Name, t.Dim, strings.Join(has, " "))
	}
	fmt.Fprintln(w, "methods:")
	for _, m := range compare.Methods() {
		fmt.Fprintf(w, "  %-18s %-8s needs %-28s %s\n", m.Name, m.Kind, m.Needs(), m.Doc)
	}
	return nil
}
