package dev.haps.data;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a logged outcome came about in production: the probability with which the router took
 * this action (its model with these parameters), the logging policy, the cost weight of the
 * request, and when the call and its score happened. An outcome with this record is
 * <em>bandit feedback</em>: the one action a call took, not every configuration's result, so
 * training and evaluation weight it by its propensity (see {@code docs/learning-loop.md}).
 *
 * @param propensity the probability the action was taken with, in (0, 1]
 * @param policy the logging policy's id (the SHA-256 of the bundle's {@code router.onnx})
 * @param costWeight the request's cost weight, in [0, 1]
 * @param calledAt when the call was routed
 * @param scoredAt when the score arrived; empty when no feedback came within the join window
 *     and the score is the configured default
 * @param fellBack whether a fallback answered instead of the routed action (the outcome is then
 *     the fallback's, and importance weighting skips it)
 * @since 0.1.0
 */
public record LoggedAction(
    double propensity,
    String policy,
    double costWeight,
    Instant calledAt,
    Optional<Instant> scoredAt,
    boolean fellBack) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if the propensity is outside (0, 1] or the cost weight
   *     outside [0, 1]
   * @throws NullPointerException if a reference is null
   */
  public LoggedAction {
    if (!(propensity > 0 && propensity <= 1)) {
      throw new IllegalArgumentException("propensity " + propensity + " is outside (0, 1]; it"
          + " is the probability with which the logged action was taken");
    }
    Objects.requireNonNull(policy, "policy");
    if (!(costWeight >= 0 && costWeight <= 1)) {
      throw new IllegalArgumentException("cost weight " + costWeight + " is outside [0, 1]");
    }
    Objects.requireNonNull(calledAt, "calledAt");
    Objects.requireNonNull(scoredAt, "scoredAt must not be null; use Optional.empty()");
  }

  /**
   * Whether the score is the join's default (no feedback arrived in time).
   *
   * @return {@code true} when {@link #scoredAt()} is empty
   */
  public boolean defaulted() {
    return scoredAt.isEmpty();
  }

  /**
   * A copy with the time the score arrived.
   *
   * @param at when the score arrived, or empty for a default score
   * @return the copy
   */
  public LoggedAction withScoredAt(Optional<Instant> at) {
    return new LoggedAction(propensity, policy, costWeight, calledAt, at, fellBack);
  }
}
