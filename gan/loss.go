package gan

import "github.com/variate/variate/internal/nn"

// discLoss returns the discriminator's loss on the logits lr of real and
// lf of generated inputs, and the mean scores ("mean D") on each, and sets
// gr and gf to the loss's derivatives with respect to each logit. smooth
// is one-sided label smoothing: the cross-entropy target of real inputs
// is 1 − smooth.
func discLoss(loss Loss, smooth float64, lr, lf, gr, gf []float64) (l, meanR, meanF float64) {
	nr, nf := 1/float64(len(lr)), 1/float64(len(lf))
	switch loss {
	case NonSaturating, Minimax:
		t := 1 - smooth
		for i, v := range lr {
			p := nn.Logistic(v)
			l += nr * (t*nn.LogOnePlusExp(-v) + (1-t)*nn.LogOnePlusExp(v))
			gr[i] = nr * (p - t)
			meanR += nr * p
		}
		for i, v := range lf {
			p := nn.Logistic(v)
			l += nf * nn.LogOnePlusExp(v)
			gf[i] = nf * p
			meanF += nf * p
		}
	case AbsoluteError:
		for i, v := range lr {
			p := nn.Logistic(v)
			l += 0.5 * nr * (1 - p)
			gr[i] = -0.5 * nr * p * (1 - p)
			meanR += nr * p
		}
		for i, v := range lf {
			p := nn.Logistic(v)
			l += 0.5 * nf * p
			gf[i] = 0.5 * nf * p * (1 - p)
			meanF += nf * p
		}
	case LeastSquares:
		for i, v := range lr {
			l += 0.5 * nr * (v - 1) * (v - 1)
			gr[i] = nr * (v - 1)
			meanR += nr * v
		}
		for i, v := range lf {
			l += 0.5 * nf * v * v
			gf[i] = nf * v
			meanF += nf * v
		}
	case Hinge:
		for i, v := range lr {
			gr[i] = 0
			if v < 1 {
				l += nr * (1 - v)
				gr[i] = -nr
			}
			meanR += nr * v
		}
		for i, v := range lf {
			gf[i] = 0
			if v > -1 {
				l += nf * (1 + v)
				gf[i] = nf
			}
			meanF += nf * v
		}
	}
	return l, meanR, meanF
}

// genLoss returns the loss the generator minimises on the logits lf of
// its draws and sets gf to its derivatives with respect to each logit.
func genLoss(loss Loss, lf, gf []float64) (l float64) {
	n := 1 / float64(len(lf))
	for i, v := range lf {
		switch loss {
		case NonSaturating: // −log σ(l)
			l += n * nn.LogOnePlusExp(-v)
			gf[i] = n * (nn.Logistic(v) - 1)
		case Minimax: // log(1 − σ(l))
			l -= n * nn.LogOnePlusExp(v)
			gf[i] = -n * nn.Logistic(v)
		case AbsoluteError: // −½σ(l): the generator maximises the discriminator's error
			p := nn.Logistic(v)
			l -= 0.5 * n * p
			gf[i] = -0.5 * n * p * (1 - p)
		case LeastSquares:
			l += 0.5 * n * (v - 1) * (v - 1)
			gf[i] = n * (v - 1)
		case Hinge:
			l -= n * v
			gf[i] = -n
		}
	}
	return l
}
