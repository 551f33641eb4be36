/**
 * Plain-Java neural-network building blocks over one flat parameter vector: {@link
 * dev.haps.train.nn.ParameterLayout} hands out ranges, {@link dev.haps.train.nn.Dense} and {@link
 * dev.haps.train.nn.Mlp} run hand-written forward and backward passes on them, {@link
 * dev.haps.train.nn.Adam} updates them, and {@link dev.haps.train.nn.Rng} is the one seeded source
 * of randomness. The HAPS network ({@code dev.haps.train.model}) and the evaluation's perceptron
 * baseline are built from them.
 *
 * <p>Nothing here is thread-safe for writes; the arithmetic is fixed (loop order included), so
 * the same inputs give bit-identical results.
 *
 * @since 0.1.0
 */
package dev.haps.train.nn;
