/**
 * Training HAPS routers from outcome logs: {@link dev.haps.train.Trainer} (builder, progress,
 * result), {@link dev.haps.data.tradeoff.CostTradeoff} (the cost-weight to λ mapping shared by training,
 * baselines and evaluation) and {@link dev.haps.train.TrainMain} (a command-line entry).
 *
 * <p>Nothing in this package accepts or returns null unless a method says so.
 *
 * @since 0.1.0
 */
package dev.haps.train;
