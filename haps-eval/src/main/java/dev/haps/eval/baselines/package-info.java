/**
 * The baseline routers of the evaluation: random, cheapest, best fixed configuration, k-nearest
 * neighbours, a perceptron, architecture-only routing, and the oracle. See {@link
 * dev.haps.eval.baselines.Baselines}.
 *
 * @since 0.1.0
 */
package dev.haps.eval.baselines;
