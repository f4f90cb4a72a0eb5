package kernels

import "math"

// AdamConsts are the per-step constants of an Adam update (Kingma & Ba
// 2015): the moment decays, the step size and the bias corrections
// C1 = 1/(1−β1^t) and C2 = 1/√(1−β2^t), and ε.
type AdamConsts struct {
	Beta1, Beta2, LR, C1, C2, Eps float64
}

// Adam makes one Adam update of params from grad, updating the moments m
// and v in place: for each i,
//
//	m[i] = β1·m[i] + (1−β1)·g
//	v[i] = β2·v[i] + ((1−β2)·g)·g
//	params[i] −= LR·(m[i]·C1) / (√v[i]·C2 + ε)
//
// each operation rounded on its own (no fused multiply-add), so every
// path gives the bits of this rule. All four slices have the same length.
func Adam(params, grad, m, v []float64, k AdamConsts) {
	n := len(params)
	grad, m, v = grad[:n], m[:n], v[:n]
	i := 0
	if path >= PathAVX2 && n >= 4 {
		c := [8]float64{k.Beta1, 1 - k.Beta1, k.Beta2, 1 - k.Beta2, k.LR, k.C1, k.C2, k.Eps}
		n4 := n / 4
		adamAVX2(&params[0], &grad[0], &m[0], &v[0], n4, &c)
		i = 4 * n4
	}
	for ; i < n; i++ {
		g := grad[i]
		mi := k.Beta1*m[i] + (1-k.Beta1)*g
		vi := k.Beta2*v[i] + (1-k.Beta2)*g*g
		m[i], v[i] = mi, vi
		params[i] -= k.LR * (mi * k.C1) / (math.Sqrt(vi)*k.C2 + k.Eps)
	}
}
