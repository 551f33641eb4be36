package dev.haps.runtime;

/**
 * A snapshot of a router's cache counters since it was built.
 *
 * @param hits embedding lookups answered from the cache (decision-cache hits included)
 * @param misses embedding lookups that had to encode
 * @param evictions entries evicted for size or expiry
 * @param size entries held now (approximate)
 * @param decisionHits decisions answered from the decision cache
 * @since 0.1.0
 */
public record EmbeddingCacheStats(
    long hits, long misses, long evictions, long size, long decisionHits) {

  /**
   * The fraction of lookups answered from the cache.
   *
   * @return hits / (hits + misses), or 0 when there were none
   */
  public double hitRate() {
    long total = hits + misses;
    return total == 0 ? 0 : (double) hits / total;
  }
}
