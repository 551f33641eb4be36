package dev.haps.springai;

import java.util.Set;

/**
 * What a prompt may need of the model that answers it. A prompt whose options carry tools, or ask
 * OpenAI-style for a JSON response format, is routed only among the candidates declared with
 * that feature.
 *
 * @since 0.1.0
 */
public enum CandidateFeature {
  /** Tool calling: options with tool callbacks or tool names. */
  TOOLS,
  /** JSON mode: a JSON object response format. */
  JSON_RESPONSE,
  /** Structured output: a JSON schema response format. */
  JSON_SCHEMA;

  /**
   * Every feature: what a candidate added without a feature set is declared with.
   *
   * @return an unmodifiable set of all features
   */
  public static Set<CandidateFeature> all() {
    return Set.of(values());
  }
}
