// Package gmn trains a generative matching network: a network that turns
// simple noise into draws from a target known only by its samples, fitted
// by minimising the maximum mean discrepancy between generated and real
// minibatches and back-propagating its gradient through the network (Li,
// Swersky & Zemel, "Generative moment matching networks", ICML 2015;
// Dziugaite, Roy & Ghahramani, "Training generative neural networks via
// maximum mean discrepancy optimization", UAI 2015).
//
// Train takes the data as a Data — a sampler.Sampler drawn afresh for
// every minibatch, or a fixed set of rows gone through in minibatches
// without replacement, one epoch after another — and a Config whose zero
// value trains a 128-128 ReLU network from uniform noise on √MMD² with a
// Gaussian-sum kernel around the data's median distance. It returns a
// *generator.Generator, the trained sampler. Moment matching (mean and
// covariance only) is offered beside MMD as the baseline that shows what
// two moments cannot see: several modes.
//
// TrainAutoencoder trains an encoder and a decoder on the reconstruction
// loss, for Li et al.'s GMMN+AE: a generator is trained on the codes of
// the data (Autoencoder.Encode, then Train) and composed with the decoder
// into one generator of data (Autoencoder.Decoder): the distributions are
// matched in a low-dimensional code space rather than between the data
// points themselves.
//
// Training runs on the shared training loop: it is deterministic for a
// seed whatever GOMAXPROCS is, can be checkpointed and resumed bit for
// bit, stops promptly when its context is cancelled (returning the
// generator as it was after the last complete step), and stops with an
// error naming the step if the loss turns NaN or infinite (returning the
// last generator whose loss was finite).
package gmn
