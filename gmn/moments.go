package gmn

// moments computes the moment-matching loss
// L = ‖μ_x − μ_y‖² + ‖Σ_x − Σ_y‖²_F, with the 1/n covariances, and its
// gradient with respect to the points of x:
//
//	∂L/∂x_i = (2/n)(μ_x − μ_y) + (4/n)(Σ_x − Σ_y)(x_i − μ_x),
//
// the second term because Σ_x's derivative through μ_x sums to zero over i.
type moments struct {
	d          int
	mx, my, dm []float64
	cx, cy, dc []float64
}

func newMoments(d int) *moments {
	return &moments{d: d,
		mx: make([]float64, d), my: make([]float64, d), dm: make([]float64, d),
		cx: make([]float64, d*d), cy: make([]float64, d*d), dc: make([]float64, d*d)}
}

func meanCov(p []float64, d int, m, c []float64) {
	n := len(p) / d
	clear(m)
	clear(c)
	for i := 0; i < len(p); i += d {
		for a := range d {
			m[a] += p[i+a]
		}
	}
	for a := range m {
		m[a] /= float64(n)
	}
	for i := 0; i < len(p); i += d {
		for a := range d {
			ua := p[i+a] - m[a]
			for b := range d {
				c[a*d+b] += ua * (p[i+b] - m[b])
			}
		}
	}
	for j := range c {
		c[j] /= float64(n)
	}
}

func (mo *moments) lossGrad(x, y, grad []float64) float64 {
	d := mo.d
	meanCov(x, d, mo.mx, mo.cx)
	meanCov(y, d, mo.my, mo.cy)
	var l float64
	for a := range d {
		mo.dm[a] = mo.mx[a] - mo.my[a]
		l += mo.dm[a] * mo.dm[a]
	}
	for j := range mo.dc {
		mo.dc[j] = mo.cx[j] - mo.cy[j]
		l += mo.dc[j] * mo.dc[j]
	}
	n := float64(len(x) / d)
	for i := 0; i < len(x); i += d {
		for a := range d {
			g := 2 * mo.dm[a] / n
			var s float64
			for b := range d {
				s += mo.dc[a*d+b] * (x[i+b] - mo.mx[b])
			}
			grad[i+a] = g + 4*s/n
		}
	}
	return l
}
