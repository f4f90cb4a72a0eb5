// Package variates holds the basic random-variate generators that more
// than one package of variate needs (target's exact samplers, rejection's
// proposals), so that each algorithm has one home. It imports nothing of
// variate's, and sits beside sampler at the bottom of the dependency
// order.
package variates
