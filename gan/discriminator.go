package gan

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/variate/variate/internal/nn"
)

// A Discriminator is a trained discriminator: a network scoring Pack()
// draws concatenated with a real logit l, read as D = σ(l), the
// probability that the draws are real. With the cross-entropy losses the
// best discriminator is D = p_t/(p_t + p_g) (Goodfellow et al. 2014), so
// l estimates log(p_t/p_g), which is what discriminator rejection
// sampling and Metropolis–Hastings GAN use.
//
// It is safe for concurrent use.
type Discriminator struct {
	net  *nn.Network
	dim  int
	pack int
	a, b float64 // calibration: logit ← a·l + b
	pool *sync.Pool
}

// chunk is the number of inputs a discriminator scores at once.
const chunk = 256

type dwork struct {
	ws *nn.Workspace
	x  []float64
}

func newDiscriminator(net *nn.Network, dim, pack int) *Discriminator {
	d := &Discriminator{net: net, dim: dim, pack: pack, a: 1}
	d.pool = &sync.Pool{New: func() any {
		return &dwork{ws: net.NewWorkspace(chunk), x: make([]float64, chunk*dim*pack)}
	}}
	return d
}

// Dim is the dimension of one draw.
func (d *Discriminator) Dim() int { return d.dim }

// Pack is the number of draws the discriminator judges together.
func (d *Discriminator) Pack() int { return d.pack }

// Logits sets dst[i] to the logit of the i-th input in x, an input being
// Pack() draws stored one after another. It panics if len(x) is not
// len(dst)·Pack()·Dim().
func (d *Discriminator) Logits(x, dst []float64) {
	in := d.dim * d.pack
	if len(x) != len(dst)*in {
		panic(fmt.Sprintf("gan: Logits of %d values into %d logits, want %d values (%d per input)", len(x), len(dst), len(dst)*in, in))
	}
	w := d.pool.Get().(*dwork)
	defer d.pool.Put(w)
	for s := 0; s < len(dst); s += chunk {
		c := min(chunk, len(dst)-s)
		y := d.net.Forward(w.ws, x[s*in:(s+c)*in])
		for i, v := range y {
			dst[s+i] = d.a*v + d.b
		}
	}
}

// LogRatio sets dst[i] to the estimate of log(p_t(x_i)/p_g(x_i)) for the
// i-th draw in x (dimension Dim()): the logit itself when Pack() is 1.
// A packed discriminator judges m draws at once, and at its optimum its
// logit is Σ_j log(p_t/p_g)(x_j), so the estimate for one draw is the
// logit of m copies of it divided by m; the network was trained on
// independent draws, never on copies, so this is an extrapolation. It
// panics if len(x) is not len(dst)·Dim().
func (d *Discriminator) LogRatio(x, dst []float64) {
	if len(x) != len(dst)*d.dim {
		panic(fmt.Sprintf("gan: LogRatio of %d values into %d ratios, want %d values", len(x), len(dst), len(dst)*d.dim))
	}
	if d.pack == 1 {
		d.Logits(x, dst)
		return
	}
	w := d.pool.Get().(*dwork)
	defer d.pool.Put(w)
	in, m := d.dim*d.pack, float64(d.pack)
	for s := 0; s < len(dst); s += chunk {
		c := min(chunk, len(dst)-s)
		xs := w.x[:c*in]
		for i := range c {
			p := x[(s+i)*d.dim : (s+i+1)*d.dim]
			for j := range d.pack {
				copy(xs[i*in+j*d.dim:], p)
			}
		}
		y := d.net.Forward(w.ws, xs)
		for i, v := range y {
			dst[s+i] = (d.a*v + d.b) / m
		}
	}
}

// Prob sets dst[i] = σ(logit) of the i-th input of x (Pack() draws each),
// the probability the discriminator gives to its being real.
func (d *Discriminator) Prob(x, dst []float64) {
	d.Logits(x, dst)
	for i, l := range dst {
		dst[i] = nn.Logistic(l)
	}
}

// Calibrate returns the discriminator with its logits rescaled, l ← a·l +
// b, with a and b fitted by logistic regression (Platt 1999) to tell the
// held-out real draws from the generated ones, as Turner et al. (2019)
// calibrate the discriminator of Metropolis–Hastings GAN. Both sets hold
// draws of dimension Dim() one after another; with packing, each
// consecutive Pack() draws form one input. The fit is Newton's method on
// the mean log loss of the two sets, equally weighted.
func (d *Discriminator) Calibrate(real, fake []float64) (*Discriminator, error) {
	in := d.dim * d.pack
	for _, s := range []struct {
		name string
		x    []float64
	}{{"real", real}, {"generated", fake}} {
		if len(s.x) == 0 || len(s.x)%in != 0 {
			return nil, fmt.Errorf("gan: calibration needs a non-empty whole number of inputs of %d values; the %s set has %d values", in, s.name, len(s.x))
		}
		for i, v := range s.x {
			if !(math.Abs(v) < math.Inf(1)) {
				return nil, fmt.Errorf("gan: calibration %s draw %d has the coordinate %v", s.name, i/d.dim, v)
			}
		}
	}
	raw := *d
	raw.a, raw.b = 1, 0
	lr, lf := make([]float64, len(real)/in), make([]float64, len(fake)/in)
	raw.Logits(real, lr)
	raw.Logits(fake, lf)
	a, b, err := platt(lr, lf)
	if err != nil {
		return nil, err
	}
	c := *d
	c.a, c.b = a, b
	return &c, nil
}

// platt fits σ(a·l + b) to label 1 for lr and 0 for lf by Newton's method
// on the mean log loss, each set weighted one half.
func platt(lr, lf []float64) (a, b float64, err error) {
	a = 1
	wr, wf := 0.5/float64(len(lr)), 0.5/float64(len(lf))
	for range 100 {
		// Gradient g and Hessian H of the loss in (a, b).
		var ga, gb, haa, hab, hbb float64
		acc := func(l, y, w float64) {
			p := nn.Logistic(a*l + b)
			r := w * (p - y)
			ga += r * l
			gb += r
			h := w * max(p*(1-p), 1e-12)
			haa += h * l * l
			hab += h * l
			hbb += h
		}
		for _, l := range lr {
			acc(l, 1, wr)
		}
		for _, l := range lf {
			acc(l, 0, wf)
		}
		det := haa*hbb - hab*hab
		if !(det > 1e-12*haa*hbb) {
			return 0, 0, errors.New("gan: calibration failed: the discriminator's logits on the two sets do not vary; give more or more varied draws")
		}
		da, db := (hbb*ga-hab*gb)/det, (haa*gb-hab*ga)/det
		a, b = a-da, b-db
		if !(math.Abs(a) < 1e6 && math.Abs(b) < 1e6) {
			return 0, 0, errors.New("gan: calibration diverged: the discriminator separates the held-out sets perfectly; give held-out draws it was not trained on")
		}
		if math.Abs(da) < 1e-10*(1+math.Abs(a)) && math.Abs(db) < 1e-10*(1+math.Abs(b)) {
			return a, b, nil
		}
	}
	return 0, 0, errors.New("gan: calibration did not converge: the discriminator separates the held-out sets (almost) perfectly; give held-out draws it was not trained on")
}
