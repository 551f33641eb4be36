package dev.haps.api;

import java.util.Objects;

/**
 * A candidate LLM a bundle can route to: the candidate's id (its name in the training data, e.g.
 * {@code gpt-4-1106-preview}) and the id of the provider the bundle expects to serve it.
 * Applications may map a candidate to a different provider instance and model name at call time.
 *
 * @param provider the provider id, e.g. {@code openai}
 * @param model the candidate's model id, unique within a bundle
 * @since 0.1.0
 */
public record Candidate(String provider, String model) {

  /**
   * Checks the ids.
   *
   * @param provider the provider id, e.g. {@code openai}
   * @param model the candidate's model id, unique within a bundle
   * @throws IllegalArgumentException if either id is null or blank
   */
  public Candidate {
    if (provider == null || provider.isBlank()) {
      throw new IllegalArgumentException("candidate provider id must not be blank");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("candidate model id must not be blank");
    }
  }

  /**
   * Creates a candidate.
   *
   * @param provider the provider id
   * @param model the model id
   * @return the candidate
   */
  public static Candidate of(String provider, String model) {
    return new Candidate(provider, model);
  }

  @Override
  public String toString() {
    return Objects.requireNonNull(provider) + "/" + model;
  }
}
