package compare

import (
	"context"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/sampler"
)

var exactMethod = Method{
	Name:  "exact",
	Kind:  KindIID,
	needs: needs{exact: true},
	Doc:   "the target's own exact sampler (the reference row)",
	build: func(_ context.Context, j job) (built, error) {
		t := j.target
		return built{sampler: t.Exact}, nil
	},
}

// gonumDists are the catalogue targets gonum's distuv can draw directly.
var gonumDists = map[string]func(src rand.Source) distuv.Rander{
	"normal":      func(src rand.Source) distuv.Rander { return distuv.Normal{Mu: 0, Sigma: 1, Src: src} },
	"exponential": func(src rand.Source) distuv.Rander { return distuv.Exponential{Rate: 1, Src: src} },
	"gamma":       func(src rand.Source) distuv.Rander { return distuv.Gamma{Alpha: 2.5, Beta: 1, Src: src} },
	"beta":        func(src rand.Source) distuv.Rander { return distuv.Beta{Alpha: 2, Beta: 5, Src: src} },
	"student-t":   func(src rand.Source) distuv.Rander { return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 3, Src: src} },
}

var gonumRandMethod = Method{
	Name:  "gonum-rand",
	Kind:  KindIID,
	needs: needs{oneD: true, only: []string{"normal", "exponential", "gamma", "beta", "student-t"}},
	Doc:   "gonum distuv's Rand with a seeded Src (peer)",
	build: func(_ context.Context, j job) (built, error) {
		t, rng := j.target, j.rng
		d := gonumDists[t.Name](rand.NewPCG(rng.Uint64(), rng.Uint64()))
		return built{sampler: randerSampler{d}}, nil
	},
}

// randerSampler draws from a gonum Rander; the generator passed to Sample
// is not used, since gonum draws from the distribution's own Src.
type randerSampler struct{ d distuv.Rander }

func (randerSampler) Dim() int { return 1 }

func (s randerSampler) Sample(_ *rand.Rand, dst []float64) error {
	for i := range dst {
		dst[i] = s.d.Rand()
	}
	return nil
}

var _ sampler.Sampler = randerSampler{}
