package dev.haps.spi;

/**
 * Tokens a call consumed, as the backend reported them.
 *
 * @param inputTokens prompt tokens, at least 0
 * @param outputTokens completion tokens, at least 0
 * @since 0.1.0
 */
public record TokenUsage(long inputTokens, long outputTokens) {

  /** No tokens reported. */
  public static final TokenUsage NONE = new TokenUsage(0, 0);

  /**
   * Checks the counts.
   *
   * @param inputTokens prompt tokens, at least 0
   * @param outputTokens completion tokens, at least 0
   * @throws IllegalArgumentException if a count is negative
   */
  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must not be negative: input " + inputTokens + ", output " + outputTokens);
    }
  }

  /**
   * Input plus output tokens.
   *
   * @return the total
   */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
