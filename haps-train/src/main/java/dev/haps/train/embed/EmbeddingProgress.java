package dev.haps.train.embed;

/**
 * Receives progress while an {@link EmbeddingStore} embeds texts.
 *
 * <p>Called from the thread that called {@link EmbeddingStore#embed(java.util.List,
 * EmbeddingProgress)}, after each chunk; {@code done} never decreases.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EmbeddingProgress {

  /** A listener that ignores every update. */
  EmbeddingProgress NONE = (done, total) -> { };

  /**
   * Reports progress.
   *
   * @param done texts embedded so far (cache hits count at once)
   * @param total texts requested
   */
  void update(int done, int total);
}
