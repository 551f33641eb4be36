package dev.haps.runtime.encoder;

import java.util.Arrays;

/**
 * A query as token ids, truncated to an encoder's budget and wrapped in its special tokens: what
 * {@link OnnxQueryEncoder#tokenize(String)} returns and {@link
 * OnnxQueryEncoder#encodeTokenized(Tokenized)} consumes. Splitting the two lets a benchmark time
 * bare inference, and lets a caller tokenize once and encode later.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Tokenized {

  private final long[] ids;
  private final boolean truncated;

  Tokenized(long[] ids, boolean truncated) {
    this.ids = ids;
    this.truncated = truncated;
  }

  /**
   * The number of tokens, special tokens included; at most the encoder's {@code maxTokens}.
   *
   * @return the length
   */
  public int length() {
    return ids.length;
  }

  /**
   * The token ids, special tokens included.
   *
   * @return a copy of the ids
   */
  public long[] ids() {
    return ids.clone();
  }

  /**
   * Whether the text had more tokens than the budget and was cut.
   *
   * @return {@code true} if tokens were dropped
   */
  public boolean truncated() {
    return truncated;
  }

  // The encoder reads the ids without copying them.
  long[] idsShared() {
    return ids;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tokenized t && truncated == t.truncated && Arrays.equals(ids, t.ids);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + Boolean.hashCode(truncated);
  }

  @Override
  public String toString() {
    return "Tokenized[length=" + ids.length + ", truncated=" + truncated + "]";
  }
}
