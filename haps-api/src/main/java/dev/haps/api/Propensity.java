package dev.haps.api;

import java.util.Objects;

/**
 * With what probability a decision's action (its chosen candidate with its parameters) was
 * taken, and by which logging policy: what off-policy evaluation and bandit training need to
 * learn from the one outcome a call reveals.
 *
 * @param probability the probability of the action taken, in (0, 1]; 1 for a greedy decision
 * @param policyId the logging policy's id: the SHA-256 of the bundle's {@code router.onnx}
 *     (blank only for decisions built outside a router)
 * @param exploration the exploration policy's {@link Exploration#describe() description}
 * @param explored whether the action differs from the greedy one
 * @since 0.1.0
 */
public record Propensity(double probability, String policyId, String exploration,
    boolean explored) {

  /**
   * Checks the fields.
   *
   * @param probability the probability of the action taken, in (0, 1]
   * @param policyId the logging policy's id
   * @param exploration the exploration policy's description
   * @param explored whether the action differs from the greedy one
   * @throws IllegalArgumentException if the probability is outside (0, 1]
   */
  public Propensity {
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("propensity " + probability + " is outside (0, 1]");
    }
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(exploration, "exploration");
  }

  /**
   * A greedy decision: probability 1, no exploration.
   *
   * @param policyId the logging policy's id
   * @return the propensity
   */
  public static Propensity greedy(String policyId) {
    return new Propensity(1.0, policyId, Exploration.none().describe(), false);
  }
}
