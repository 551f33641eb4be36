package dev.haps.langchain4j;

import java.util.Set;

/**
 * What a request may need of the model that answers it. A request that carries tools, or asks for
 * a JSON response, is routed only among the candidates declared with that feature; the others are
 * denied for that request, so the router never sends it to a model that cannot serve it.
 *
 * @since 0.1.0
 */
public enum CandidateFeature {
  /** Tool (function) calling: requests with tool specifications. */
  TOOLS,
  /** JSON mode: a JSON response format without a schema. */
  JSON_RESPONSE,
  /** Structured output: a JSON response format with a schema. */
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
