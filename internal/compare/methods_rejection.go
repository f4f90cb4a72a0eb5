package compare

import (
	"context"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/gonum/stat/sampleuv"

	"github.com/variate/variate/rejection"
	"github.com/variate/variate/target"
)

var adaptiveMethod = Method{
	Name:  "adaptive",
	Kind:  KindIID,
	needs: needs{oneD: true, density: true, logConcave: true},
	Doc:   "rejection.NewAdaptive: derivative-free adaptive rejection (hull and squeeze)",
	build: func(_ context.Context, j job) (built, error) {
		t := j.target
		a, err := rejection.NewAdaptive(t.LogDensity1D, t.Lo, t.Hi, nil)
		if err != nil {
			return built{}, err
		}
		return built{sampler: a, info: map[string]float64{"points": float64(a.Points()), "squeeze_ratio": a.SqueezeRatio(), "immediate_ratio": a.ImmediateRatio()}}, nil
	},
}

// autoProposal is the heavier-tailed proposal for computed-bound
// rejection: independent Student t (ν = 3) coordinates centred on the
// target's mean with 1.5 times its standard deviations.
func autoProposal(t *target.Target) (*rejection.StudentT, error) {
	loc, scale := make([]float64, t.Dim), make([]float64, t.Dim)
	for i := range loc {
		scale[i] = 1
		if t.Mean != nil {
			loc[i] = t.Mean[i]
		}
		if t.Var != nil {
			scale[i] = 1.5 * math.Sqrt(t.Var[i])
		}
	}
	return rejection.NewStudentT(loc, scale, 3)
}

var autoMethod = Method{
	Name:  "rejection-auto",
	Kind:  KindIID,
	needs: needs{density: true},
	Doc:   "rejection.NewAuto: computed bound over a Student-t (ν=3) proposal at the target's scale",
	check: func(t *target.Target) string {
		switch {
		case t.Dim == 1 && t.LogConcave:
			return "log-concave: see the adaptive row"
		case t.Dim > 2:
			return "a global proposal is hopeless in 10-D"
		case t.Dim == 2 && len(t.Modes) > 0:
			return "narrow separated modes: acceptance would be ~1e-3"
		}
		return ""
	},
	build: func(_ context.Context, j job) (built, error) {
		t := j.target
		q, err := autoProposal(t)
		if err != nil {
			return built{}, err
		}
		s, err := rejection.NewAuto(t.LogDensity, q, &rejection.Options{Candidates: 1 << 15, Starts: 32})
		if err != nil {
			return built{}, err
		}
		return built{sampler: s, info: map[string]float64{"log_m": s.LogM()}}, nil
	},
}

var gonumRejectionMethod = Method{
	Name:  "gonum-rejection",
	Kind:  KindIID,
	needs: needs{oneD: true, only: []string{"beta"}},
	Doc:   "gonum sampleuv.Rejection, uniform proposal, the same M as rejection-auto (peer)",
	build: func(_ context.Context, j job) (built, error) {
		t, rng := j.target, j.rng
		box, err := rejection.NewUniformBox([]float64{0}, []float64{1})
		if err != nil {
			return built{}, err
		}
		sup, err := rejection.Supremum(t.LogDensity, box, rejection.Options{})
		if err != nil {
			return built{}, err
		}
		g := &sampleuv.Rejection{
			C:        math.Exp(sup + 1e-7 - t.LogZ),
			Target:   distuv.Beta{Alpha: 2, Beta: 5},
			Proposal: distuv.Uniform{Min: 0, Max: 1, Src: rand.NewPCG(rng.Uint64(), rng.Uint64())},
			Src:      rand.NewPCG(rng.Uint64(), rng.Uint64()),
		}
		return built{sampler: gonumRejection{g}}, nil
	},
}

type gonumRejection struct{ r *sampleuv.Rejection }

func (gonumRejection) Dim() int { return 1 }

func (g gonumRejection) Sample(_ *rand.Rand, dst []float64) error {
	g.r.Sample(dst)
	return g.r.Err()
}
