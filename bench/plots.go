package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/variate/variate/internal/compare"
	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/target"
)

// drawn is a cell with the draws its plots show.
type drawn struct {
	compare.Cell
	points []float64
	traces [][]float64
}

// plotFile is one PNG in the report.
type plotFile struct {
	Name, Title, Section string
}

var palette = []color.Color{
	color.RGBA{R: 31, G: 119, B: 180, A: 255},
	color.RGBA{R: 255, G: 127, B: 14, A: 255},
	color.RGBA{R: 44, G: 160, B: 44, A: 255},
	color.RGBA{R: 214, G: 39, B: 40, A: 255},
	color.RGBA{R: 148, G: 103, B: 189, A: 255},
	color.RGBA{R: 140, G: 86, B: 75, A: 255},
	color.RGBA{R: 227, G: 119, B: 194, A: 255},
	color.RGBA{R: 127, G: 127, B: 127, A: 255},
	color.RGBA{R: 188, G: 189, B: 34, A: 255},
	color.RGBA{R: 23, G: 190, B: 207, A: 255},
	color.RGBA{R: 57, G: 59, B: 121, A: 255},
	color.RGBA{R: 231, G: 186, B: 82, A: 255},
}

// methodIndex is a method's place in the registry, so that a method has
// the same colour and glyph in every plot of the report.
func methodIndex(name string) int {
	ms := compare.Methods()
	if i := slices.IndexFunc(ms, func(m compare.Method) bool { return m.Name == name }); i >= 0 {
		return i
	}
	return len(ms)
}

// methodColor and methodShape are a method's colour and glyph.
func methodColor(name string) color.Color { return palette[methodIndex(name)%len(palette)] }

func methodShape(name string) draw.GlyphDrawer {
	return shapes[methodIndex(name)/len(palette)%len(shapes)]
}

var lightGrey = color.Gray{Y: 200}

// save writes a grid of plots (nil cells stay blank) as a 150-dpi PNG. A
// plot that cannot be drawn is an error, not a crash of the whole report.
func save(grid [][]*plot.Plot, path string, w, h vg.Length) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing %s: %v", filepath.Base(path), r)
		}
	}()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))
	dc := draw.New(c)
	if len(grid) == 1 && len(grid[0]) == 1 {
		grid[0][0].Draw(dc)
	} else {
		tiles := draw.Tiles{Rows: len(grid), Cols: len(grid[0]), PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
			PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
		canvases := plot.Align(grid, tiles, dc)
		for j, row := range grid {
			for i, p := range row {
				if p != nil {
					p.Draw(canvases[j][i])
				}
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// one wraps a single plot as a grid.
func one(p *plot.Plot) [][]*plot.Plot { return [][]*plot.Plot{{p}} }

// tile lays out k panels in rows of at most cols.
func tile(ps []*plot.Plot, cols int) [][]*plot.Plot {
	cols = min(cols, len(ps))
	var grid [][]*plot.Plot
	for i := 0; i < len(ps); i += cols {
		row := make([]*plot.Plot, cols)
		copy(row, ps[i:min(i+cols, len(ps))])
		grid = append(grid, row)
	}
	return grid
}

// finite returns the finite values of xs and how many were not.
func finite(xs []float64) ([]float64, int) {
	out := make([]float64, 0, len(xs))
	for _, v := range xs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out, len(xs) - len(out)
}

// window returns the range a 1-D target's histograms share: the 0.1% and
// 99.9% points of the target (or of the draws), inside the support.
func window(t *target.Target, cells []drawn) (lo, hi float64) {
	if t.Quantile != nil {
		lo, hi = t.Quantile(0.001), t.Quantile(0.999)
	} else {
		var all []float64
		for _, c := range cells {
			xs, _ := finite(c.points)
			all = append(all, xs...)
		}
		slices.Sort(all)
		lo, hi = all[len(all)/1000], all[len(all)-1-len(all)/1000]
	}
	return max(lo, t.Lo), min(hi, t.Hi)
}

// methodHist is one method's histogram on [lo, hi]: NewHist over the
// finite draws inside the window, normalised so its area is the share of
// finite draws that fall inside, and so comparable with the density.
func methodHist(xs []float64, lo, hi float64, bins int) (h *plotter.Histogram, nonFinite, outside int, err error) {
	xs, nonFinite = finite(xs)
	in := make(plotter.Values, 0, len(xs))
	for _, v := range xs {
		if v >= lo && v <= hi {
			in = append(in, v)
		}
	}
	outside = len(xs) - len(in)
	if len(in) < 2 {
		return nil, nonFinite, outside, fmt.Errorf("fewer than 2 finite draws in [%g, %g]", lo, hi)
	}
	if h, err = plotter.NewHist(in, bins); err != nil {
		return nil, nonFinite, outside, err
	}
	h.Normalize(float64(len(in)) / float64(len(xs)))
	return h, nonFinite, outside, nil
}

// densityCurve returns points of the normalised density of a 1-D target.
func densityCurve(t *target.Target, lo, hi float64, n int) plotter.XYs {
	pts := make(plotter.XYs, n)
	for i := range pts {
		x := lo + (hi-lo)*float64(i)/float64(n-1)
		pts[i] = plotter.XY{X: x, Y: math.Exp(t.LogDensity1D(x) - t.LogZ)}
	}
	return pts
}

// writePlots draws the report's figures into dir.
func writePlots(dir string, r *compare.Results) ([]plotFile, error) {
	var files []plotFile
	add := func(grid [][]*plot.Plot, name, title, section string, w, h vg.Length) error {
		if err := save(grid, filepath.Join(dir, name), w, h); err != nil {
			return err
		}
		files = append(files, plotFile{Name: name, Title: title, Section: section})
		return nil
	}
	// Cells are grouped by the target they measured, which travels with
	// their draws: a target outside the catalogue is plotted too.
	byTarget := map[*target.Target][]drawn{}
	var order []*target.Target
	for i, c := range r.Cells {
		d := r.Draws[i]
		if c.Status != compare.StatusOK || len(d.Points) == 0 {
			continue
		}
		if _, ok := byTarget[d.Target]; !ok {
			order = append(order, d.Target)
		}
		byTarget[d.Target] = append(byTarget[d.Target], drawn{Cell: c, points: d.Points, traces: d.Traces})
	}
	p, err := inversionPlot()
	if err != nil {
		return nil, err
	}
	if err := add(one(p), "inverse-transform.png", "Inverse transform: uniforms through the normal's quantile function become normal draws", "How inversion works", 8*vg.Inch, 4*vg.Inch); err != nil {
		return nil, err
	}
	for _, t := range order {
		name := t.Name
		cells := byTarget[t]
		rows := (len(cells) + 2) / 3
		if t.Dim == 1 {
			ps, err := histPanels(t, cells)
			if err != nil {
				return nil, err
			}
			if err := add(tile(ps, 3), name+"-hist.png", name+": each method's histogram over the true density", "Distributions (1-D)",
				10*vg.Inch, vg.Length(rows)*2.6*vg.Inch); err != nil {
				return nil, err
			}
		} else {
			ps := scatterPanels(t, cells)
			what := "draws"
			if t.Dim > 2 {
				what = "draws, first two coordinates"
			}
			if err := add(tile(ps, 3), name+"-scatter.png", name+": each method's "+what+" (colour) over exact draws (grey)", "Distributions (d-D)",
				10*vg.Inch, vg.Length(rows)*3.2*vg.Inch); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range order {
		name := t.Name
		var mc []drawn
		for _, c := range byTarget[t] {
			if len(c.traces) > 0 {
				mc = append(mc, c)
			}
		}
		if len(mc) == 0 {
			continue
		}
		if err := add(tile(tracePanels(name, mc), 1), name+"-trace.png", name+": MCMC traces of the first coordinate, every chain", "MCMC",
			9*vg.Inch, vg.Length(len(mc))*1.8*vg.Inch); err != nil {
			return nil, err
		}
		p, err := acfPlot(name, mc, 100)
		if err != nil {
			return nil, err
		}
		if err := add(one(p), name+"-acf.png", name+": autocorrelation of the first coordinate (mean over chains)", "MCMC", 7*vg.Inch, 4*vg.Inch); err != nil {
			return nil, err
		}
	}
	if p, err := throughputPlot(r); err == nil {
		if err := add(one(p), "throughput.png", "Cost per sample (per effective sample for MCMC), log scale", "Speed", 12*vg.Inch, 6*vg.Inch); err != nil {
			return nil, err
		}
	}
	if ps := fidelitySpeedPanels(r); len(ps) > 0 {
		if err := add(tile(ps, 2), "fidelity-speed.png", "Fidelity against speed: KS distance (1-D) and MMD² (d-D; values at or below 1e-5, as good as exact at this size, sit on the floor) against cost per (effective) sample", "Speed", 12*vg.Inch, 5*vg.Inch); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// histPanels gives one panel per method: its histogram and the density.
func histPanels(t *target.Target, cells []drawn) ([]*plot.Plot, error) {
	lo, hi := window(t, cells)
	var curve plotter.XYs
	if !math.IsNaN(t.LogZ) {
		curve = densityCurve(t, lo, hi, 400)
	}
	var ps []*plot.Plot
	for _, c := range cells {
		p := plot.New()
		h, bad, out, err := methodHist(c.points, lo, hi, 60)
		p.Title.Text = c.Method
		switch {
		case err != nil:
			p.Title.Text += ": " + err.Error()
		default:
			h.FillColor = methodColor(c.Method)
			h.LineStyle.Width = 0
			p.Add(h)
		}
		if bad > 0 || out > 0 {
			p.Title.Text += fmt.Sprintf(" (%d non-finite, %d outside)", bad, out)
		}
		if curve != nil {
			l, err := plotter.NewLine(curve)
			if err != nil {
				return nil, err
			}
			l.Width = vg.Points(1.5)
			p.Add(l)
		}
		p.X.Min, p.X.Max = lo, hi
		ps = append(ps, p)
	}
	return ps, nil
}

// scatterXY returns up to n finite points of the first two coordinates
// of draws (dimension d) inside the box, and how many were left out.
func scatterXY(draws []float64, d, n int, box [4]float64) (plotter.XYs, int) {
	pts := make(plotter.XYs, 0, n)
	left := 0
	for k := 0; k < len(draws)/d && len(pts) < n; k++ {
		x, y := draws[k*d], draws[k*d+1]
		if math.IsNaN(x+y) || math.IsInf(x+y, 0) || x < box[0] || x > box[1] || y < box[2] || y > box[3] {
			left++
			continue
		}
		pts = append(pts, plotter.XY{X: x, Y: y})
	}
	return pts, left
}

// scatterBox is the region the panels of one target share: the exact
// draws' range, widened by a tenth.
func scatterBox(exact []float64, d int) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}
	for k := range len(exact) / d {
		b[0], b[1] = min(b[0], exact[k*d]), max(b[1], exact[k*d])
		b[2], b[3] = min(b[2], exact[k*d+1]), max(b[3], exact[k*d+1])
	}
	wx, wy := (b[1]-b[0])/10, (b[3]-b[2])/10
	return [4]float64{b[0] - wx, b[1] + wx, b[2] - wy, b[3] + wy}
}

// scatterPanels shows each method's draws over the exact ones.
func scatterPanels(t *target.Target, cells []drawn) []*plot.Plot {
	const n = 2000
	var exact []float64
	for _, c := range cells {
		if c.Method == "exact" {
			exact = c.points
		}
	}
	if exact == nil {
		exact = cells[0].points
	}
	box := scatterBox(exact, t.Dim)
	ref, _ := scatterXY(exact, t.Dim, n, box)
	var ps []*plot.Plot
	for _, c := range cells {
		p := plot.New()
		p.Title.Text = c.Method
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = box[0], box[1], box[2], box[3]
		if c.Method != "exact" {
			if s, err := plotter.NewScatter(ref); err == nil {
				s.GlyphStyle.Radius = vg.Points(1)
				s.GlyphStyle.Color = lightGrey
				p.Add(s)
			}
		}
		pts, left := scatterXY(c.points, t.Dim, n, box)
		if left > 0 {
			p.Title.Text += fmt.Sprintf(" (%d outside or non-finite)", left)
		}
		if s, err := plotter.NewScatter(pts); err == nil {
			s.GlyphStyle.Radius = vg.Points(1)
			s.GlyphStyle.Color = methodColor(c.Method)
			p.Add(s)
		}
		ps = append(ps, p)
	}
	return ps
}

// traceLen is how many draws of each chain a trace shows.
const traceLen = 1000

// tracePanels shows, per MCMC method, the first draws of every chain.
func tracePanels(name string, cells []drawn) []*plot.Plot {
	var ps []*plot.Plot
	for _, c := range cells {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s on %s: R-hat %s, bulk ESS %s", c.Method, name, fmtOr(c.RHat, 3), fmtOr(c.ESSBulk, 0))
		p.X.Label.Text = "iteration after warm-up"
		for i, ch := range c.traces {
			xs, _ := finite(ch[:min(len(ch), traceLen)])
			pts := make(plotter.XYs, len(xs))
			for k, v := range xs {
				pts[k] = plotter.XY{X: float64(k), Y: v}
			}
			if l, err := plotter.NewLine(pts); err == nil {
				l.Color = palette[i%len(palette)]
				l.Width = vg.Points(0.6)
				p.Add(l)
			}
		}
		ps = append(ps, p)
	}
	return ps
}

func fmtOr(v float64, prec int) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// autocorrelation returns the sample autocorrelation of x at lags
// 0..maxLag (fewer if x is short), from mcmc's autocovariances; a
// constant x gives 1 at lag 0 and 0 elsewhere.
func autocorrelation(x []float64, maxLag int) []float64 {
	acov := mcmc.Autocovariance(x)
	out := make([]float64, min(maxLag, len(x)-1)+1)
	out[0] = 1
	if acov[0] == 0 {
		return out
	}
	for k := 1; k < len(out); k++ {
		out[k] = acov[k] / acov[0]
	}
	return out
}

// acfPlot shows each MCMC method's autocorrelation, averaged over chains.
func acfPlot(name string, cells []drawn, maxLag int) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = name + ": autocorrelation of the first coordinate"
	p.X.Label.Text = "lag"
	p.Y.Label.Text = "autocorrelation"
	for _, c := range cells {
		var mean []float64
		for _, ch := range c.traces {
			xs, _ := finite(ch)
			if len(xs) < 2 {
				continue
			}
			a := autocorrelation(xs, maxLag)
			if mean == nil {
				mean = make([]float64, len(a))
			}
			for k := range min(len(a), len(mean)) {
				mean[k] += a[k] / float64(len(c.traces))
			}
		}
		pts := make(plotter.XYs, len(mean))
		for k, v := range mean {
			pts[k] = plotter.XY{X: float64(k), Y: v}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = methodColor(c.Method)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(c.Method, l)
	}
	p.Y.Min, p.Y.Max = min(p.Y.Min, -0.1), 1
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p, nil
}

// cost is the nanoseconds per independent-equivalent sample: per draw for
// i.i.d. methods, per effective sample for MCMC.
func cost(c compare.Cell) float64 {
	if c.ESSPerSec > 0 {
		return 1e9 / c.ESSPerSec
	}
	if c.Kind == compare.KindMCMC {
		return math.NaN()
	}
	return c.NsPerSample
}

// A costSeries is one method's points on the throughput chart: the
// index of each target among the chart's columns and the cost there.
type costSeries struct {
	method  string
	columns []int
	costs   []float64
}

// throughputData returns the throughput chart's columns (targets in
// order of first appearance) and one series per method, leaving out cells
// that failed or have no cost.
func throughputData(r *compare.Results) ([]string, []costSeries) {
	var targets []string
	var series []costSeries
	for _, c := range r.Cells {
		v := cost(c)
		if c.Status != compare.StatusOK || !(v > 0) {
			continue
		}
		col := slices.Index(targets, c.Target)
		if col < 0 {
			col = len(targets)
			targets = append(targets, c.Target)
		}
		i := slices.IndexFunc(series, func(s costSeries) bool { return s.method == c.Method })
		if i < 0 {
			i = len(series)
			series = append(series, costSeries{method: c.Method})
		}
		series[i].columns = append(series[i].columns, col)
		series[i].costs = append(series[i].costs, v)
	}
	return targets, series
}

// throughputPlot is a dot chart: one column per target, one glyph per
// method (the same colours and shapes as the fidelity-speed chart), on a
// log axis of the cost per (effective) sample. Methods of one target sit
// side by side within its column.
func throughputPlot(r *compare.Results) (*plot.Plot, error) {
	targets, series := throughputData(r)
	if len(targets) == 0 {
		return nil, fmt.Errorf("no timed cells")
	}
	p := plot.New()
	p.Y.Label.Text = "ns per sample"
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	lo, hi := math.Inf(1), math.Inf(-1)
	width := 0.8 / float64(len(series))
	for i, sr := range series {
		pts := make(plotter.XYs, len(sr.costs))
		for k, v := range sr.costs {
			pts[k] = plotter.XY{X: float64(sr.columns[k]) - 0.4 + width*(float64(i)+0.5), Y: v}
			lo, hi = min(lo, v), max(hi, v)
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle.Color = methodColor(sr.method)
		s.GlyphStyle.Radius = vg.Points(3)
		s.GlyphStyle.Shape = methodShape(sr.method)
		p.Add(s)
		p.Legend.Add(sr.method, s)
	}
	// Whole decades, so that no tick (and its label) lies off the axis,
	// which gonum would pad for.
	p.Y.Min, p.Y.Max = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
	// Room on the right for the legend, clear of every column.
	p.X.Min, p.X.Max = -0.6, float64(len(targets))+1.2
	p.NominalX(targets...)
	p.X.Tick.Label.Font.Size = vg.Points(9)
	p.Add(plotter.NewGrid())
	return p, nil
}

// fidelitySpeedPanels plots KS (1-D) and MMD² (d-D) against cost, one
// colour per method.
func fidelitySpeedPanels(r *compare.Results) []*plot.Plot {
	panel := func(title, ylab string, fid func(compare.Cell) float64, want func(compare.Cell) bool) *plot.Plot {
		methods := map[string]plotter.XYs{}
		var order []string
		for _, c := range r.Cells {
			x, y := cost(c), fid(c)
			if c.Status != compare.StatusOK || !want(c) || !(x > 0) || !(y > 0) || math.IsInf(y, 0) {
				continue
			}
			if _, ok := methods[c.Method]; !ok {
				order = append(order, c.Method)
			}
			methods[c.Method] = append(methods[c.Method], plotter.XY{X: x, Y: y})
		}
		if len(order) == 0 {
			return nil
		}
		p := plot.New()
		p.Title.Text = title
		for _, m := range order {
			for _, xy := range methods[m] {
				p.X.Min, p.X.Max = min(p.X.Min, xy.X), max(p.X.Max, xy.X)
				p.Y.Min, p.Y.Max = min(p.Y.Min, xy.Y), max(p.Y.Max, xy.Y)
			}
		}
		// Widen the ranges by a factor, as gonum would otherwise pad an
		// empty range by ±1, below zero on a log axis.
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = p.X.Min/1.5, p.X.Max*1.5, p.Y.Min/1.5, p.Y.Max*1.5
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
		p.X.Label.Text = "ns per (effective) sample"
		p.Y.Label.Text = ylab
		for _, m := range order {
			s, err := plotter.NewScatter(methods[m])
			if err != nil {
				continue
			}
			s.GlyphStyle.Color = methodColor(m)
			s.GlyphStyle.Radius = vg.Points(3)
			s.GlyphStyle.Shape = methodShape(m)
			p.Add(s)
			p.Legend.Add(m, s)
		}
		p.Legend.Top = true
		return p
	}
	var ps []*plot.Plot
	if p := panel("1-D targets", "KS distance", func(c compare.Cell) float64 { return c.KS }, func(c compare.Cell) bool { return !math.IsNaN(c.KS) }); p != nil {
		ps = append(ps, p)
	}
	// MMD² is unbiased and slightly negative for samplers as good as
	// exact: those points stand at the floor of the axis, labelled so,
	// rather than vanishing from a log axis.
	mmdFloor := func(c compare.Cell) float64 { return max(c.MMD2, mmdAxisFloor) }
	if p := panel("d-D targets", fmt.Sprintf("MMD², floored at %g", mmdAxisFloor), mmdFloor, func(c compare.Cell) bool { return !math.IsNaN(c.MMD2) }); p != nil {
		ps = append(ps, p)
	}
	return ps
}

// mmdAxisFloor is where the fidelity-speed chart puts MMD² values at or
// below it: about the noise of the estimate at the harness's 4000 points.
const mmdAxisFloor = 1e-5

var shapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}}

// inversionPlot is the classic illustration: uniforms on the vertical
// axis, through the normal's CDF read backwards (the quantile function) to
// the horizontal axis, where they pile up like the normal density.
func inversionPlot() (*plot.Plot, error) {
	t := target.Normal()
	p := plot.New()
	p.Title.Text = "X = Q(U), Q the inverse of the CDF F: evenly spaced uniforms become normal draws"
	p.X.Label.Text = "x"
	p.Y.Label.Text = "u = F(x)"
	cdf := make(plotter.XYs, 200)
	for i := range cdf {
		x := -3.5 + 7*float64(i)/199
		cdf[i] = plotter.XY{X: x, Y: t.CDF(x)}
	}
	l, err := plotter.NewLine(cdf)
	if err != nil {
		return nil, err
	}
	l.Width = vg.Points(2)
	p.Add(l)
	p.Legend.Add("normal CDF F", l)
	dens := densityCurve(t, -3.5, 3.5, 200)
	d, err := plotter.NewLine(dens)
	if err != nil {
		return nil, err
	}
	d.Color = palette[1]
	d.Width = vg.Points(1.5)
	p.Add(d)
	p.Legend.Add("normal density", d)
	for i := range 15 {
		u := (float64(i) + 0.5) / 15
		x := t.Quantile(u)
		seg, err := plotter.NewLine(plotter.XYs{{X: -3.5, Y: u}, {X: x, Y: u}, {X: x, Y: 0}})
		if err != nil {
			return nil, err
		}
		seg.Color = palette[0]
		seg.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		p.Add(seg)
	}
	p.Legend.Top = true
	p.Legend.Left = true
	return p, nil
}
