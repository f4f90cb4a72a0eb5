package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/variate/variate/internal/compare"
	"github.com/variate/variate/target"
)

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
}

// save writes p as a 150-dpi PNG. A plot that cannot be drawn is an
// error, not a crash of the whole report.
func save(p *plot.Plot, path string, w, h vg.Length) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing %s: %v", filepath.Base(path), r)
		}
	}()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))
	p.Draw(draw.New(c))
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

// histData returns the bin counts (normalised to density) of xs on
// [lo, hi] with n bins; the plot shows exactly these.
func histData(xs []float64, lo, hi float64, n int) []float64 {
	h := make([]float64, n)
	w := (hi - lo) / float64(n)
	for _, v := range xs {
		if v >= lo && v < hi {
			h[int((v-lo)/w)]++
		}
	}
	for i := range h {
		h[i] /= float64(len(xs)) * w
	}
	return h
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
	add := func(p *plot.Plot, name, title, section string, w, h vg.Length) error {
		if err := save(p, filepath.Join(dir, name), w, h); err != nil {
			return err
		}
		files = append(files, plotFile{Name: name, Title: title, Section: section})
		return nil
	}
	byTarget := map[string][]compare.Cell{}
	var order []string
	for _, c := range r.Cells {
		if c.Status != compare.StatusOK || len(c.Draws) == 0 {
			continue
		}
		if _, ok := byTarget[c.Target]; !ok {
			order = append(order, c.Target)
		}
		byTarget[c.Target] = append(byTarget[c.Target], c)
	}
	if p, err := inversionPlot(); err == nil {
		if err := add(p, "inverse-transform.png", "Inverse transform: uniform → quantile function → normal", "How inversion works", 8*vg.Inch, 3*vg.Inch); err != nil {
			return nil, err
		}
	}
	for _, name := range order {
		t, err := target.ByName(name)
		if err != nil {
			continue
		}
		cells := byTarget[name]
		switch t.Dim {
		case 1:
			p, err := histPlot(t, cells)
			if err != nil {
				return nil, err
			}
			if err := add(p, name+"-hist.png", name+": each method's histogram over the density", "Distributions (1-D)", 7*vg.Inch, 4*vg.Inch); err != nil {
				return nil, err
			}
		case 2:
			p, err := scatterPlot(t, cells)
			if err != nil {
				return nil, err
			}
			if err := add(p, name+"-scatter.png", name+": draws of each method", "Distributions (2-D)", 6*vg.Inch, 6*vg.Inch); err != nil {
				return nil, err
			}
		}
	}
	if p, err := throughputPlot(r); err == nil {
		if err := add(p, "throughput.png", "Throughput: ns per sample (log scale)", "Speed", 9*vg.Inch, 5*vg.Inch); err != nil {
			return nil, err
		}
	}
	if p, err := fidelitySpeedPlot(r); err == nil {
		if err := add(p, "fidelity-speed.png", "Fidelity against speed (1-D targets): KS distance × ns/sample", "Speed", 7*vg.Inch, 5*vg.Inch); err != nil {
			return nil, err
		}
	}
	return files, nil
}

func histPlot(t *target.Target, cells []compare.Cell) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = t.Name
	p.X.Label.Text = "x"
	p.Y.Label.Text = "density"
	var all []float64
	for _, c := range cells {
		all = append(all, c.Draws...)
	}
	all, _ = finite(all)
	slices.Sort(all)
	lo, hi := all[len(all)/1000], all[len(all)-1-len(all)/1000]
	const bins = 60
	w := (hi - lo) / bins
	for i, c := range cells {
		xs, bad := finite(c.Draws)
		h := histData(xs, lo, hi, bins)
		pts := make(plotter.XYs, 0, 2*bins)
		for k, v := range h {
			pts = append(pts, plotter.XY{X: lo + float64(k)*w, Y: v}, plotter.XY{X: lo + float64(k+1)*w, Y: v})
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = palette[i%len(palette)]
		p.Add(l)
		label := c.Method
		if bad > 0 {
			label += fmt.Sprintf(" (%d non-finite)", bad)
		}
		p.Legend.Add(label, l)
	}
	if !math.IsNaN(t.LogZ) {
		d, err := plotter.NewLine(densityCurve(t, lo, hi, 400))
		if err != nil {
			return nil, err
		}
		d.Width = vg.Points(2)
		d.Color = color.Black
		p.Add(d)
		p.Legend.Add("true density", d)
	}
	p.Legend.Top = true
	return p, nil
}

func scatterPlot(t *target.Target, cells []compare.Cell) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = t.Name
	for i, c := range cells {
		n := min(len(c.Draws)/2, 2000)
		pts := make(plotter.XYs, 0, n)
		for k := range n {
			x, y := c.Draws[2*k], c.Draws[2*k+1]
			if !math.IsNaN(x+y) && !math.IsInf(x+y, 0) {
				pts = append(pts, plotter.XY{X: x, Y: y})
			}
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle.Radius = vg.Points(1)
		s.GlyphStyle.Color = palette[i%len(palette)]
		p.Add(s)
		p.Legend.Add(c.Method, s)
	}
	return p, nil
}

func throughputPlot(r *compare.Results) (*plot.Plot, error) {
	var vals plotter.Values
	var names []string
	for _, c := range r.Cells {
		if c.Status == compare.StatusOK && c.NsPerSample > 0 {
			vals = append(vals, math.Log10(c.NsPerSample))
			names = append(names, c.Target+"/"+c.Method)
		}
	}
	if len(vals) == 0 {
		return nil, fmt.Errorf("no timed cells")
	}
	// Bars start at zero, which a log axis cannot show: the bars are
	// log10 of the time, on a linear axis.
	p := plot.New()
	p.Y.Label.Text = "log10(ns/sample)"
	b, err := plotter.NewBarChart(vals, vg.Points(6))
	if err != nil {
		return nil, err
	}
	p.Add(b)
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	return p, nil
}

func fidelitySpeedPlot(r *compare.Results) (*plot.Plot, error) {
	p := plot.New()
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.X.Label.Text = "ns/sample"
	p.Y.Label.Text = "KS distance"
	methods := map[string]plotter.XYs{}
	var order []string
	for _, c := range r.Cells {
		if c.Status != compare.StatusOK || !(c.NsPerSample > 0) || !(c.KS > 0) {
			continue
		}
		if _, ok := methods[c.Method]; !ok {
			order = append(order, c.Method)
		}
		methods[c.Method] = append(methods[c.Method], plotter.XY{X: c.NsPerSample, Y: c.KS})
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("no 1-D cells")
	}
	for i, m := range order {
		s, err := plotter.NewScatter(methods[m])
		if err != nil {
			return nil, err
		}
		s.GlyphStyle.Color = palette[i%len(palette)]
		s.GlyphStyle.Radius = vg.Points(3)
		p.Add(s)
		p.Legend.Add(m, s)
	}
	return p, nil
}

// inversionPlot is the classic illustration: uniforms on the vertical
// axis, mapped through the normal's quantile function to the horizontal.
func inversionPlot() (*plot.Plot, error) {
	t := target.Normal()
	p := plot.New()
	p.Title.Text = "X = F⁻¹(U): uniforms through the normal quantile"
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
	for i := range 9 {
		u := (float64(i) + 0.5) / 9
		x := t.Quantile(u)
		seg, err := plotter.NewLine(plotter.XYs{{X: -3.5, Y: u}, {X: x, Y: u}, {X: x, Y: 0}})
		if err != nil {
			return nil, err
		}
		seg.Color = palette[0]
		seg.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		p.Add(seg)
	}
	return p, nil
}
