package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/internal/compare"
	"github.com/variate/variate/internal/mnist"
	"github.com/variate/variate/mmd"
	"github.com/variate/variate/sampler"
)

// mnistEval is one model measured.
type mnistEval struct {
	*trained
	seed        uint64
	samples     []float64 // generated images
	nonFinite   int
	nsPerSample float64
	parzen      fidelity.ParzenResult
	mmd2        float64
	nearest     fidelity.NearestRatio
	searched    int       // training images searched for nearest neighbours
	searchRows  []float64 // those images
	timings     map[string]time.Duration
}

// gmmnBandwidths is the kernel of Li et al. (2015) for MNIST pixels, used
// to measure every model's MMD² to the test set.
var gmmnBandwidths = []float64{2, 5, 10, 20, 40, 80}

// evaluate draws the model's samples and measures them against the test
// set: the Parzen-window log-likelihood (σ chosen on the validation
// split), MMD² with the GMMN kernel, and the nearest-training-image
// distances of generated and test images.
//
// A cancelled ctx stops it between measures (each runs to its end).
func evaluate(ctx context.Context, t *trained, d *mnistData, o mnistOptions, seed uint64) (*mnistEval, error) {
	e := &mnistEval{trained: t, seed: seed, timings: map[string]time.Duration{}}
	rng := sampler.NewRand(seed ^ 0x9e3779b97f4a7c15)
	e.samples = make([]float64, o.samples*mnist.Dim)
	t0 := time.Now()
	if err := t.gen.Sample(rng, e.samples); err != nil {
		return nil, fmt.Errorf("sampling: %w", err)
	}
	e.nsPerSample = float64(time.Since(t0).Nanoseconds()) / float64(o.samples)
	for i, v := range e.samples {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			e.nonFinite++
			e.samples[i] = 0.5
		}
	}
	if e.nonFinite > 0 {
		e.warnings = append(e.warnings, fmt.Sprintf("%d generated pixels were NaN or infinite; set to 0.5 for the measures", e.nonFinite))
	}
	var err error
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t0 = time.Now()
	if e.parzen, err = fidelity.Parzen(e.samples, d.validation, d.test, mnist.Dim, nil); err != nil {
		return nil, err
	}
	e.timings["parzen"] = time.Since(t0)
	e.warnings = append(e.warnings, e.parzen.Warnings...)

	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t0 = time.Now()
	k, err := mmd.GaussianSum(gmmnBandwidths...)
	if err != nil {
		return nil, err
	}
	est, err := mmd.NewEstimator(k, mnist.Dim, nil)
	if err != nil {
		return nil, err
	}
	if e.mmd2, err = est.Unbiased(e.samples, d.test); err != nil {
		return nil, err
	}
	e.timings["mmd2"] = time.Since(t0)

	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t0 = time.Now()
	search := d.train
	if o.nnSearch > 0 && o.nnSearch*mnist.Dim < len(search) {
		search = search[:o.nnSearch*mnist.Dim]
	}
	e.searched, e.searchRows = len(search)/mnist.Dim, search
	if d.testNearest == nil || d.testSearched != e.searched {
		// The test images' distances do not depend on the model: found
		// once for all of them.
		if _, d.testNearest, err = fidelity.Nearest(d.test, search, mnist.Dim); err != nil {
			return nil, err
		}
		d.testSearched = e.searched
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gi, gd, err := fidelity.Nearest(e.samples, search, mnist.Dim)
	if err != nil {
		return nil, err
	}
	if e.nearest, err = fidelity.NearestRatioOf(gd, d.testNearest); err != nil {
		return nil, err
	}
	e.nearest.GeneratedIndex = gi
	e.timings["nearest"] = time.Since(t0)
	return e, nil
}

// cell is the model's row in results.json and results.csv: a learned
// cell whose training is its setup; the MNIST figures are in Info.
func (e *mnistEval) cell() compare.Cell {
	nan := math.NaN()
	c := compare.Cell{
		Target: "mnist", Method: e.name, Kind: compare.KindLearned, Dim: mnist.Dim,
		Status: compare.StatusOK, N: len(e.samples) / mnist.Dim, Seed: e.seed,
		SetupMS: float64(e.elapsed.Nanoseconds()) / 1e6, NsPerSample: e.nsPerSample, ESSPerSec: nan,
		Steps: e.steps,
		KS:    nan, KSP: nan, W1: nan, Energy: nan, SlicedW1: nan, MMD2: e.mmd2,
		HighQuality: nan, RHat: nan, ESSBulk: nan, Acceptance: nan,
		NonFinite: e.nonFinite,
		Warnings:  e.warnings,
	}
	c.Info = map[string]float64{}
	for _, f := range e.figures() {
		c.Info[f.key] = f.value
	}
	return c
}

// figure is one MNIST measure, named for CSV and JSON.
type figure struct {
	key   string
	value float64
}

func (e *mnistEval) figures() []figure {
	n := e.nearest
	return []figure{
		{"parzen_ll", e.parzen.Mean},
		{"parzen_se", e.parzen.StdErr},
		{"parzen_sigma", e.parzen.Sigma},
		{"mmd2_test", e.mmd2},
		{"nn_ratio", n.Ratio},
		{"nn_ratio_q1", n.RatioQ1},
		{"nn_ratio_q3", n.RatioQ3},
		{"nn_closer", n.Closer},
		{"nn_generated_median", n.Generated.Median},
		{"nn_test_median", n.Test.Median},
		{"nn_train_searched", float64(e.searched)},
		{"train_seconds", e.elapsed.Seconds()},
		{"resumed_step", float64(e.resumed)},
	}
}

func mnistResults(o options, evals []*mnistEval, start time.Time, interrupted bool) *compare.Results {
	r := &compare.Results{Meta: compare.Meta{
		Suite: "mnist", N: o.mnist.samples, Seed: o.seed,
		Targets: []string{"mnist"}, Methods: modelsOf(evals),
		GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		GOMAXPROCS: runtime.GOMAXPROCS(0), Date: start.UTC().Format(time.RFC3339),
		Seconds: time.Since(start).Seconds(), Interrupted: interrupted,
		Planned: len(split(o.mnist.models)),
	}}
	for _, e := range evals {
		r.Cells = append(r.Cells, e.cell())
		r.Draws = append(r.Draws, compare.Draws{})
	}
	return r
}

func writeMNISTText(w io.Writer, r *compare.Results, evals []*mnistEval) error {
	if len(evals) == 0 {
		_, err := fmt.Fprintln(w, "no model finished training")
		return err
	}
	if err := compare.WriteText(w, r); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n"+mnistTable(evals)+
		"\nThe Parzen figure measures how well the samples cover the test images at one scale σ, not the model's likelihood (Theis, van den Oord & Bethge 2016); report.md says more.\n")
	return err
}

// mnistTable is the MNIST measures, one line per model.
func mnistTable(evals []*mnistEval) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-5s %8s %22s %7s %11s %24s %8s\n", "model", "steps", "Parzen log-lik. (nats)", "σ", "MMD² test", "NN ratio (Q1, Q3)", "nearer")
	for _, e := range evals {
		n := e.nearest
		fmt.Fprintf(&b, "%-5s %8d %15.1f ± %4.1f %7.4f %11.4g %10.3f (%.3f, %.3f) %7.1f%%\n",
			e.name, e.steps, e.parzen.Mean, e.parzen.StdErr, e.parzen.Sigma, e.mmd2, n.Ratio, n.RatioQ1, n.RatioQ3, 100*n.Closer)
	}
	return b.String()
}

// writeMNISTReport writes results.json, results.csv (the cells),
// mnist.csv (the MNIST figures), the histories, the figures and
// report.md.
func writeMNISTReport(dir string, r *compare.Results, evals []*mnistEval, o mnistOptions) error {
	js, err := json.MarshalIndent(report{Runs: []*compare.Results{r}, TimingFields: compare.TimingFields}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := writeCSVFile(filepath.Join(dir, "results.csv"), func(w io.Writer) error { return compare.WriteCSV(w, r) }); err != nil {
		return err
	}
	if err := writeCSVFile(filepath.Join(dir, "mnist.csv"), func(w io.Writer) error { return writeFiguresCSV(w, evals) }); err != nil {
		return err
	}
	var md strings.Builder
	writeMNISTMarkdownHead(&md, r, evals, o)
	for _, e := range evals {
		if err := writeCSVFile(filepath.Join(dir, "mnist-"+e.name+"-history.csv"), e.curve.writeCSV); err != nil {
			return err
		}
		pairs := "mnist-" + e.name + "-nearest.png"
		if err := writeNearestGrid(filepath.Join(dir, pairs), e, 10, 6); err != nil {
			return err
		}
		curves := "mnist-" + e.name + "-training.png"
		if err := writeCurves(filepath.Join(dir, curves), e); err != nil {
			return err
		}
		writeMNISTMarkdownModel(&md, e, pairs, curves)
	}
	return os.WriteFile(filepath.Join(dir, "report.md"), []byte(md.String()), 0o644)
}

func writeCSVFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeFiguresCSV(w io.Writer, evals []*mnistEval) error {
	cw := csv.NewWriter(w)
	if len(evals) > 0 {
		head := []string{"model", "seed", "steps"}
		for _, f := range evals[0].figures() {
			head = append(head, f.key)
		}
		if err := cw.Write(head); err != nil {
			return err
		}
	}
	for _, e := range evals {
		rec := []string{e.name, strconv.FormatUint(e.seed, 10), strconv.Itoa(e.steps)}
		for _, f := range e.figures() {
			rec = append(rec, strconv.FormatFloat(f.value, 'g', -1, 64))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (c *curve) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{"step"}, c.names...)); err != nil {
		return err
	}
	for i, s := range c.steps {
		rec := []string{strconv.Itoa(s)}
		for _, v := range c.values {
			if math.IsNaN(v[i]) {
				rec = append(rec, "")
			} else {
				rec = append(rec, strconv.FormatFloat(v[i], 'g', -1, 64))
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// theisCaveat is the report's reading of the Parzen figure.
const theisCaveat = `The Parzen-window figure is what Goodfellow et al. (2014) and Li et al.
(2015) report, and it is printed here so that the two can be compared with
them, not because it measures likelihood. Theis, van den Oord & Bethge
("A note on the evaluation of generative models", ICLR 2016) show why to
read it with care: a kernel density estimate on 10,000 points in 784
dimensions is far from the model's density (its bias shrinks only very
slowly with more samples), so the number says how well the samples cover
the test images at one length scale σ rather than how probable the model
makes them; a model that is good by this figure can make poor samples,
one with good samples can score badly, and even k-means centroids of the
training set beat real generative models on it. Read it beside the
nearest-neighbour and MMD figures and the pictures, not alone.`

func writeMNISTMarkdownHead(b *strings.Builder, r *compare.Results, evals []*mnistEval, o mnistOptions) {
	m := r.Meta
	fmt.Fprintf(b, "# variate MNIST report\n\n")
	budget := fmt.Sprintf("%g minutes of wall time", o.minutes)
	if o.steps > 0 {
		budget += fmt.Sprintf(" or %d steps, whichever came first", o.steps)
	}
	fmt.Fprintf(b, "Budget per model: %s; base seed %d; %d generated images measured. %s, %s/%s, GOMAXPROCS=%d, %s; the run took %.0f s.\n\n",
		budget, m.Seed, m.N, m.GoVersion, m.OS, m.Arch, m.GOMAXPROCS, m.Date, m.Seconds)
	fmt.Fprintf(b, "Regenerate with `go run ./bench -suite mnist -budget %g -steps %d -ae-steps %d -models %s -samples %d -nn-train %d -seed %d -fresh` (a step budget repeats the weights bit for bit; a time budget does not).\n\n",
		o.minutes, o.steps, o.aeSteps, o.models, o.samples, o.nnSearch, m.Seed)
	if m.Interrupted {
		b.WriteString("**Interrupted**: only the models listed finished; run the same command again to resume from the checkpoints.\n\n")
	}
	fmt.Fprintf(b, "Data: the MNIST training set without its last %d images (training), those %d images (validation: they choose the Parzen σ), and the 10,000 test images.\n\n", validationRows, validationRows)
	b.WriteString("## Figures\n\n```\n" + mnistTable(evals) + "```\n\n")
	b.WriteString("- **Parzen log-lik.**: mean log-density of the test images under a Gaussian kernel density estimate on the generated images, ± its standard error; σ chosen from a grid by the validation images' mean log-density. References: Goodfellow et al. 2014 GAN 225 ± 2; Li et al. 2015 GMMN 147 ± 2 and GMMN+AE 282 ± 2.\n")
	b.WriteString("- **MMD² test**: unbiased MMD² between generated and test images with the GMMN kernel (Gaussians of bandwidths 2, 5, 10, 20, 40, 80).\n")
	b.WriteString("- **NN ratio**: median distance from a generated image to its nearest training image over the same median for test images (and the ratio of first and third quartiles); near 1 or above means no copying. **nearer**: share of generated images nearer to the training set than 95% of test images are (5% for a model that does not copy).\n\n")
	b.WriteString("### What the Parzen figure measures\n\n" + theisCaveat + "\n")
}

func writeMNISTMarkdownModel(b *strings.Builder, e *mnistEval, pairs, curves string) {
	fmt.Fprintf(b, "\n## %s\n\n", e.name)
	fmt.Fprintf(b, "%s. Trained %d steps in %.0f s", e.config, e.steps, e.elapsed.Seconds())
	if e.resumed > 0 {
		fmt.Fprintf(b, " (resumed from step %d)", e.resumed)
	}
	fmt.Fprintf(b, ", seed %d. Parzen σ = %.4g chosen from %d values in [%.3g, %.3g]; measuring took %.0f s (Parzen), %.0f s (MMD²), %.0f s (nearest neighbours over %d training images).\n\n",
		e.seed, e.parzen.Sigma, len(e.parzen.Sigmas), e.parzen.Sigmas[0], e.parzen.Sigmas[len(e.parzen.Sigmas)-1],
		e.timings["parzen"].Seconds(), e.timings["mmd2"].Seconds(), e.timings["nearest"].Seconds(), e.searched)
	for _, w := range e.warnings {
		fmt.Fprintf(b, "- warning: %s\n", w)
	}
	fmt.Fprintf(b, "\n**Generated digits, each with its nearest training image to its right**\n\n![%s nearest](%s)\n", e.name, pairs)
	fmt.Fprintf(b, "\n**Training curves**\n\n![%s training](%s)\n", e.name, curves)
}
