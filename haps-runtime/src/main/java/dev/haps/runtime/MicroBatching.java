package dev.haps.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * Micro-batching of concurrent {@link HapsRouter#route(dev.haps.api.RouteRequest)} calls: single
 * requests from many threads are queued, and batch workers route what has queued up (at most
 * {@code maxBatch} at a time, after waiting at most {@code maxWait} for the batch to fill) with
 * one {@link HapsRouter#route(java.util.List)} call, then complete each caller. Decisions are
 * the same as one-by-one routing (the batch path is batch-invariant); a batch that fails is
 * routed again one by one, so each caller gets its own decision or its own exception. Decision
 * cache hits skip the queue.
 *
 * <p>What it buys depends on the encoder: the default int8 encoder runs each query alone (batch
 * invariance), so batching saves the per-call network and decoding overhead and bounds the
 * number of threads competing for the cores (steadier tail latency), not encoder work. See
 * {@code docs/performance.md}.
 *
 * @param maxBatch the most requests routed in one batch, at least 1
 * @param maxWait how long a worker waits for a batch to fill once a request is queued; zero
 *     routes whatever has queued at once (no added latency when idle)
 * @param workers batch workers routing at the same time, at least 1
 * @since 0.1.0
 */
public record MicroBatching(int maxBatch, Duration maxWait, int workers) {

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if {@code maxBatch} or {@code workers} is below 1 or the
   *     wait is negative or longer than a second
   */
  public MicroBatching {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("micro-batching maxBatch must be at least 1, got "
          + maxBatch);
    }
    if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("micro-batching maxWait must be in [0, 1 s], got "
          + maxWait + "; it adds to every routed request's latency");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("micro-batching workers must be at least 1, got "
          + workers);
    }
  }

  /**
   * Batches of at most {@code maxBatch}, waiting at most {@code maxWait}, one worker per core.
   *
   * @param maxBatch at least 1
   * @param maxWait in [0, 1 s]
   * @return the settings
   */
  public static MicroBatching of(int maxBatch, Duration maxWait) {
    return new MicroBatching(maxBatch, maxWait, Runtime.getRuntime().availableProcessors());
  }
}
