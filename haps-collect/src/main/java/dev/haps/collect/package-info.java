/**
 * {@code haps collect} as a library: {@link dev.haps.collect.Collector} turns queries into an
 * outcome log (the training and evaluation format) by running candidate configurations through
 * the provider plugins and grading the answers with {@link dev.haps.spi.Judge}s; the built-in
 * judges are in {@code dev.haps.collect.judge}.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package dev.haps.collect;
