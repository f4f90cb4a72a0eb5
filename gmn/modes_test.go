package gmn_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/gmn"
	"github.com/variate/variate/internal/modetable"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// modeConfigs are the configurations of the ring and grid table: the
// defaults (√MMD² on a Gaussian sum around the median distance, which on
// these targets is the distance between modes, not their width), √MMD²
// on the six bandwidths 0.02…1 of the gmmn2d benchmark, with step decay,
// the same with a bandwidth of 0.01 added (the ring's mode width), batches
// of 512 and a wider 256-256-256 network, and the moment matching of the
// seed's direct route beside them.
func modeConfigs(steps int) map[string]gmn.Config {
	return map[string]gmn.Config{
		"gmn": {Steps: steps},
		"gmn-fine": {Steps: steps, Bandwidths: []float64{0.02, 0.05, 0.1, 0.2, 0.5, 1},
			DecayEvery: steps / 3, DecayFactor: 0.3},
		"moments": {Steps: steps, Loss: gmn.Moments},
		"gmn-wide": {Steps: steps, Bandwidths: []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1}, Batch: 512,
			Hidden: []int{256, 256, 256}, DecayEvery: steps / 3, DecayFactor: 0.3},
	}
}

// TestModeTable prints, for ring and grid, the mode figures of PacGAN's
// Table 1 (Lin et al. 2018) — modes covered, high-quality share and
// reverse KL of 2,500 draws, mean ± sd over seeds — for each
// configuration of modeConfigs. It trains targets × configurations ×
// seeds generators, so it runs only when VARIATE_GMN_MODES is set:
//
//	VARIATE_GMN_MODES=1 go test ./gmn -run ModeTable -v -timeout 0
//
// Optional: VARIATE_GMN_SEEDS (default 10), VARIATE_GMN_FIRST_SEED
// (default 1), VARIATE_GMN_STEPS (default 10,000), VARIATE_GMN_TARGETS
// (default "ring,grid"), VARIATE_GMN_CONFIGS (default
// "gmn,gmn-fine,gmn-wide,moments"). Each line prints one seed's figures, then
// mean ± sd. The raw output of the full table is committed under
// testdata/modetable, one file per target and date.
func TestModeTable(t *testing.T) {
	if os.Getenv("VARIATE_GMN_MODES") == "" {
		t.Skip("set VARIATE_GMN_MODES=1 to train the ring and grid table")
	}
	seeds := modetable.EnvInt("VARIATE_GMN_SEEDS", 10)
	first := modetable.EnvInt("VARIATE_GMN_FIRST_SEED", 1)
	steps := modetable.EnvInt("VARIATE_GMN_STEPS", 10_000)
	targets := modetable.EnvList("VARIATE_GMN_TARGETS", "ring,grid")
	names := modetable.EnvList("VARIATE_GMN_CONFIGS", "gmn,gmn-fine,gmn-wide,moments")
	configs := modeConfigs(steps)
	fmt.Printf("gmn mode table: seeds %d-%d, %d steps, 2,500 draws; %s, load %s\n", first, first+seeds-1, steps,
		time.Now().UTC().Format(time.RFC3339), modetable.LoadAvg())
	for _, tn := range targets {
		tg, err := target.ByName(tn)
		require.NoError(t, err)
		for _, cn := range names {
			cfg, ok := configs[cn]
			require.True(t, ok, "configuration %q", cn)
			cfg.NoBar = true
			cfg.FidelityEvery = -1
			var rows []modetable.Row
			var took time.Duration
			for seed := first; seed < first+seeds; seed++ {
				cfg.Seed = uint64(seed)
				t0 := time.Now()
				g, err := gmn.Train(context.Background(), gmn.FromSampler(tg.Exact), &cfg)
				require.NoError(t, err)
				took += time.Since(t0)
				x, err := sampler.Draw(g, sampler.NewRand(uint64(1000+seed)), 2500)
				require.NoError(t, err)
				ms, err := fidelity.Modes(x, tg.Dim, tg.Modes)
				require.NoError(t, err)
				rows = append(rows, modetable.Row{float64(ms.Covered), 100 * ms.HighQuality, ms.ReverseKL})
				fmt.Printf("%-5s %-8s seed %-2d modes %2d  hq%% %5.1f  rkl %.3f  trained %d steps in %.0fs\n", tn, cn, seed,
					ms.Covered, 100*ms.HighQuality, ms.ReverseKL, steps, time.Since(t0).Seconds())
			}
			fmt.Printf("%-5s %-8s n=%-2d modes %s  hq%% %s  rkl %s  train %.0fs/seed\n", tn, cn, len(rows),
				modetable.MeanSD(rows, 0, "%.1f"), modetable.MeanSD(rows, 1, "%.1f"), modetable.MeanSD(rows, 2, "%.3f"), took.Seconds()/float64(seeds))
		}
	}
}
