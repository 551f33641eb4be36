package dev.haps.collect;

/**
 * Receives a collection run's progress. Called from the collector's worker threads, one call at
 * a time per finished pair; implementations must be thread-safe and quick.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CollectListener {

  /** A listener that ignores everything. */
  CollectListener NONE = p -> { };

  /**
   * A pair finished.
   *
   * @param progress the counts so far
   */
  void progress(CollectProgress progress);
}
