// Package gan trains a generator against a discriminator (Goodfellow et
// al. 2014): the generator turns noise into draws, the discriminator
// learns to tell them from real ones, and each improves against the
// other.
//
// [Train] and [Fit] take samples of the target ([FromSampler] for fresh
// draws, [FromPoints] for a fixed data set) and a [Config] whose zero
// value is a working setup for low-dimensional targets. The games are
// the original minimax one, its non-saturating variant (the default),
// the absolute-error game E(G, D) = ½E_t[1 − D] + ½E_g[D], least squares
// and hinge; options give k discriminator steps per generator step,
// PacGAN packing, one-sided label smoothing and a moving average of the
// generator's weights. Training runs on the loop the learned routes
// share: budgets in steps or time, progress, atomic checkpoints with
// bit-exact resumption, cancellation, and a stop naming the step when a
// loss turns NaN.
//
// The trained [Discriminator] is kept: its logit estimates log(p_t/p_g),
// the density ratio of the target to the generator, so classic samplers
// can correct the generator. [NewDRS] is discriminator rejection sampling
// (Azadi et al. 2019) on rejection.NewRatio, [NewMH] Metropolis–Hastings
// GAN (Turner et al. 2019) on mcmc.NewRatioChain.
package gan
