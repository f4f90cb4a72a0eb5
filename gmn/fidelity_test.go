package gmn

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/generator"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

var (
	fidSteps   = flag.Int("gmn.steps", 12000, "training steps of BenchmarkFidelity")
	fidTargets = flag.String("gmn.targets", "normal,exponential,gamma,beta,bimodal,doublewell,student-t,tail,ring,grid", "targets of BenchmarkFidelity")
	fidLoss    = flag.String("gmn.loss", "sqrt-mmd2", "loss of BenchmarkFidelity: sqrt-mmd2, mmd2 or moments")
	fidSeeds   = flag.Int("gmn.seeds", 1, "seeds of BenchmarkFidelity (2-D targets: mean ± sd)")
	fidScales  = flag.String("gmn.scales", "0.0625,0.125,0.25,0.5,1,2,4", "bandwidth scales of the median (the comparison's)")
	fidBatch   = flag.Int("gmn.batch", 0, "batch size (default gmn's)")
	fidNoise   = flag.String("gmn.noise", "uniform", "noise law: uniform or normal")
	fidLR      = flag.Float64("gmn.lr", 0, "Adam step size, halved every quarter of the budget (default the comparison's: 1e-3, 3e-3 for ring and grid)")
)

// fidelityConfig is the configuration the fidelity figures use for a
// target of the catalogue.
func fidelityConfig(t *target.Target, steps int, loss Loss, seed uint64) *Config {
	c := &Config{Steps: steps, Loss: loss, Seed: seed, FidelityEvery: -1, NoBar: true,
		LR: *fidLR, DecayEvery: max(steps/4, 1), DecayFactor: 0.5, Batch: *fidBatch}
	if *fidNoise == "normal" {
		c.Noise.Law = generator.Gaussian
	}
	if *fidScales != "" {
		for _, f := range strings.Split(*fidScales, ",") {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				panic(err)
			}
			c.BandwidthScales = append(c.BandwidthScales, v)
		}
	}
	if t.Dim > 1 && len(t.Modes) > 0 { // as the comparison does: 2 to 100 times the modes' spread
		s := t.Modes[0].Sigma
		c.Bandwidths = []float64{2 * s, 5 * s, 10 * s, 20 * s, 50 * s, 100 * s}
		if *fidLR == 0 {
			c.LR = 3e-3
		}
	}
	return c
}

func parseLoss(s string) Loss {
	for _, l := range []Loss{RootMMD, MMD2, Moments} {
		if l.String() == s {
			return l
		}
	}
	panic("unknown loss " + s)
}

// BenchmarkFidelity trains a generator on each catalogue target and
// reports its fidelity: for 1-D targets the KS distance of 10^4 draws to
// the target's CDF; for ring and grid the mode figures of 2,500 draws
// (PacGAN's protocol). The defaults are the comparison's full-suite
// configuration. Run one iteration, without the test timeout:
//
//	go test -timeout 0 -run '^$' -bench Fidelity -benchtime 1x ./gmn -gmn.steps 12000
func BenchmarkFidelity(b *testing.B) {
	loss := parseLoss(*fidLoss)
	for _, name := range strings.Split(*fidTargets, ",") {
		t, err := target.ByName(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				var ks, modes, hq, rkl, secs []float64
				for s := range *fidSeeds {
					r, err := TrainWithHistory(context.Background(), FromSampler(t.Exact), fidelityConfig(t, *fidSteps, loss, uint64(s+1)))
					if err != nil {
						b.Fatal(err)
					}
					secs = append(secs, r.Elapsed.Seconds())
					rng := sampler.NewRand(uint64(1000 + s))
					if t.Dim == 1 {
						x, err := sampler.Draw(r.Generator, rng, 10000)
						if err != nil {
							b.Fatal(err)
						}
						d, _, err := fidelity.KS(x, t.CDF)
						if err != nil {
							b.Fatal(err)
						}
						ks = append(ks, d)
						continue
					}
					x, err := sampler.Draw(r.Generator, rng, 2500)
					if err != nil {
						b.Fatal(err)
					}
					st, err := fidelity.Modes(x, 2, t.Modes)
					if err != nil {
						b.Fatal(err)
					}
					modes = append(modes, float64(st.Covered))
					hq = append(hq, 100*st.HighQuality)
					rkl = append(rkl, st.ReverseKL)
				}
				b.ReportMetric(mean(secs), "train-s")
				if t.Dim == 1 {
					b.ReportMetric(mean(ks), "ks")
					b.Logf("%s: KS %s at n=10^4 after %d steps (%s)", name, meanSD(ks), *fidSteps, loss)
					continue
				}
				b.ReportMetric(mean(modes), "modes")
				b.ReportMetric(mean(hq), "hq%")
				b.ReportMetric(mean(rkl), "rkl")
				b.Logf("%s: modes %s, high quality %s%%, reverse KL %s over %d seeds, %d steps (%s)",
					name, meanSD(modes), meanSD(hq), meanSD(rkl), *fidSeeds, *fidSteps, loss)
			}
		})
	}
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func meanSD(x []float64) string {
	m := mean(x)
	if len(x) < 2 {
		return fmt.Sprintf("%.4g", m)
	}
	var s float64
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return fmt.Sprintf("%.4g ± %.2g", m, math.Sqrt(s/float64(len(x)-1)))
}
