package dev.haps.api;

import java.time.Duration;

/**
 * Where the time of one routing decision went. For batched routing the encode and infer times are
 * the whole batch's, shared by every decision in it.
 *
 * @param encodeNanos time spent tokenising and encoding the query (0 on a cache hit)
 * @param inferNanos time spent in the router network and decoding
 * @param totalNanos wall time of the whole {@code route} call
 * @param embeddingCacheHit whether the query's embedding came from the cache
 * @since 0.1.0
 */
public record RouteTimings(
    long encodeNanos, long inferNanos, long totalNanos, boolean embeddingCacheHit) {

  /**
   * The encode time.
   *
   * @return the duration
   */
  public Duration encode() {
    return Duration.ofNanos(encodeNanos);
  }

  /**
   * The inference and decode time.
   *
   * @return the duration
   */
  public Duration infer() {
    return Duration.ofNanos(inferNanos);
  }

  /**
   * The total time.
   *
   * @return the duration
   */
  public Duration total() {
    return Duration.ofNanos(totalNanos);
  }
}
