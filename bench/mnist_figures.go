package main

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/variate/variate/internal/mnist"
)

// Layout of the nearest-neighbour grid, in pixels: each pair is a
// generated digit and its nearest training image side by side, 2 pixels
// apart; pairs are 8 pixels apart, on a light grey ground, so that the
// edges of dark images show.
const (
	ground   = 208
	pairGap  = 2
	gridGap  = 8
	pairWide = 2*mnist.Side + pairGap
)

// nearestGrid draws the first cols·rows generated images of e, each
// with its nearest training image to its right, as grey levels (white
// digits on black, as MNIST stores them).
func nearestGrid(e *mnistEval, cols, rows int) *image.Gray {
	n := min(cols*rows, len(e.samples)/mnist.Dim)
	rows = (n + cols - 1) / cols
	w := gridGap + cols*(pairWide+gridGap)
	h := gridGap + rows*(mnist.Side+gridGap)
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = ground
	}
	put := func(x0, y0 int, px []float64) {
		for r := range mnist.Side {
			for c := range mnist.Side {
				img.SetGray(x0+c, y0+r, color.Gray{Y: grey(px[r*mnist.Side+c])})
			}
		}
	}
	for i := range n {
		x0 := gridGap + (i%cols)*(pairWide+gridGap)
		y0 := gridGap + (i/cols)*(mnist.Side+gridGap)
		put(x0, y0, e.samples[i*mnist.Dim:(i+1)*mnist.Dim])
		j := e.nearest.GeneratedIndex[i]
		put(x0+mnist.Side+pairGap, y0, e.searchRows[j*mnist.Dim:(j+1)*mnist.Dim])
	}
	return img
}

// grey maps a pixel in [0, 1] to a grey level, clamping what lies outside.
func grey(v float64) uint8 {
	return uint8(math.Round(255 * min(1, max(0, v))))
}

func writeNearestGrid(path string, e *mnistEval, cols, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, nearestGrid(e, cols, rows)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// curvePlots returns one plot per series of the training history, its
// finite values against the step (non-finite values are left out and
// counted in the title).
func curvePlots(e *mnistEval) ([]*plot.Plot, error) {
	var out []*plot.Plot
	for k, name := range e.curve.names {
		var pts plotter.XYs
		skipped := 0
		for i, s := range e.curve.steps {
			v := e.curve.values[k][i]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				skipped++
				continue
			}
			pts = append(pts, plotter.XY{X: float64(s), Y: v})
		}
		p := plot.New()
		p.Title.Text = e.name + ": " + name
		if len(pts) > 0 && len(pts) < skipped {
			// A figure measured only now and then (the held-out MMD²).
			p.Title.Text += ", now and then"
		}
		p.X.Label.Text = "step"
		if len(pts) > 0 {
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, err
			}
			l.Color = palette[k%len(palette)]
			p.Add(l)
			if len(pts) < 50 {
				s, err := plotter.NewScatter(pts)
				if err != nil {
					return nil, err
				}
				s.Color = palette[k%len(palette)]
				p.Add(s)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func writeCurves(path string, e *mnistEval) error {
	ps, err := curvePlots(e)
	if err != nil {
		return err
	}
	grid := make([][]*plot.Plot, (len(ps)+1)/2)
	for i := range grid {
		grid[i] = make([]*plot.Plot, 2)
	}
	for i, p := range ps {
		grid[i/2][i%2] = p
	}
	return save(grid, path, 8*vg.Inch, vg.Length(len(grid))*3*vg.Inch)
}
