package dev.haps.spi;

/**
 * Tokens a call consumed, as the backend reported them.
 *
 * <p>{@code outputTokens} counts every token the backend bills as output, <em>including</em>
 * reasoning or thinking tokens; {@code reasoningTokens} says how many of them were reasoning,
 * where the backend reports it (OpenAI's {@code completion_tokens_details.reasoning_tokens},
 * Gemini's {@code thoughtsTokenCount}), and is 0 where it does not (Anthropic counts thinking
 * inside {@code output_tokens} without a separate figure). Prices apply to {@code inputTokens} and
 * {@code outputTokens}, so reasoning is priced as output exactly once.
 *
 * @param inputTokens prompt tokens, at least 0
 * @param outputTokens billed output tokens, reasoning included, at least 0
 * @param reasoningTokens of the output tokens, those spent on reasoning or thinking; in
 *     [0, outputTokens], 0 when unknown
 * @since 0.1.0
 */
public record TokenUsage(long inputTokens, long outputTokens, long reasoningTokens) {

  /** No tokens reported. */
  public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

  /**
   * Checks the counts.
   *
   * @param inputTokens prompt tokens, at least 0
   * @param outputTokens billed output tokens, reasoning included, at least 0
   * @param reasoningTokens of the output tokens, those spent on reasoning; in [0, outputTokens]
   * @throws IllegalArgumentException if a count is negative or reasoning exceeds the output
   */
  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative: input " + inputTokens
          + ", output " + outputTokens + ", reasoning " + reasoningTokens);
    }
    if (reasoningTokens > outputTokens) {
      throw new IllegalArgumentException("reasoning tokens " + reasoningTokens + " exceed the "
          + outputTokens + " output tokens they are part of; count reasoning inside output");
    }
  }

  /**
   * Usage without a reasoning figure.
   *
   * @param inputTokens prompt tokens, at least 0
   * @param outputTokens billed output tokens, at least 0
   * @throws IllegalArgumentException if a count is negative
   */
  public TokenUsage(long inputTokens, long outputTokens) {
    this(inputTokens, outputTokens, 0);
  }

  /**
   * Input plus output tokens (reasoning is part of output).
   *
   * @return the total
   */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /**
   * The output tokens that reached the answer: output minus reasoning.
   *
   * @return the visible output tokens
   */
  public long answerTokens() {
    return outputTokens - reasoningTokens;
  }
}
