package dev.haps.api;

import dev.haps.api.params.ParameterValues;
import java.util.Objects;

/**
 * One entry of a routing decision's ranking: a candidate, the router's probability for it, the
 * parameters the low-level router generated for it, and its expected cost.
 *
 * @param candidate the candidate model
 * @param probability the router's probability after masking, in [0, 1]
 * @param parameters the generated parameters, inside the candidate's declared space
 * @param expectedCostUsd the expected cost of one call in USD, or NaN when the bundle has no
 *     cost figure for this candidate
 * @since 0.1.0
 */
public record RankedCandidate(
    Candidate candidate, double probability, ParameterValues parameters, double expectedCostUsd) {

  /**
   * Checks for nulls and the probability range.
   *
   * @param candidate the candidate model
   * @param probability the router's probability after masking, in [0, 1]
   * @param parameters the generated parameters, inside the candidate's declared space
   * @param expectedCostUsd the expected cost of one call in USD, or NaN when the bundle has no cost figure for this candidate
   * @throws IllegalArgumentException if the probability is outside [0, 1]
   */
  public RankedCandidate {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(parameters, "parameters");
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability " + probability + " is outside [0, 1]");
    }
  }

  /**
   * The candidate's model id.
   *
   * @return the model id
   */
  public String model() {
    return candidate.model();
  }
}
