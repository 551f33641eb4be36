package dev.haps.data;

import dev.haps.api.params.ParameterValues;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What one (model, parameters) configuration scored on one query, and what it cost.
 *
 * @param model the candidate model id, as in {@code candidates.json}
 * @param params the parameter values it ran with; empty when it ran with its defaults
 * @param score the quality in [0, 1] (accuracy, F1, a judge's grade)
 * @param costUsd the cost in USD, at least 0, or NaN when the log has none
 * @param inputTokens prompt tokens, at least 0, or -1 when the log has none
 * @param outputTokens completion tokens, at least 0, or -1 when the log has none
 * @param logged how a production call took this action (bandit feedback); empty for a
 *     benchmark outcome, where every configuration of the query was run
 * @since 0.1.0
 */
public record Outcome(
    String model,
    ParameterValues params,
    double score,
    double costUsd,
    long inputTokens,
    long outputTokens,
    Optional<LoggedAction> logged) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if the model is blank, the score is outside [0, 1], the cost
   *     is negative or infinite, or a token count is below -1
   * @throws NullPointerException if {@code params} is null
   */
  public Outcome {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("outcome model id must not be blank");
    }
    Objects.requireNonNull(params, "params must not be null; use ParameterValues.empty()");
    if (!(score >= 0.0 && score <= 1.0)) {
      throw new IllegalArgumentException(
          "outcome score " + score + " of model '" + model + "' is outside [0, 1]");
    }
    if (!Double.isNaN(costUsd) && !(costUsd >= 0.0 && Double.isFinite(costUsd))) {
      throw new IllegalArgumentException("outcome cost " + costUsd + " USD of model '" + model
          + "' must be finite and at least 0 (NaN when unknown)");
    }
    if (inputTokens < -1 || outputTokens < -1) {
      throw new IllegalArgumentException("outcome token counts of model '" + model
          + "' must be at least 0 (-1 when unknown), got input " + inputTokens + ", output "
          + outputTokens);
    }
    Objects.requireNonNull(logged, "logged must not be null; use Optional.empty()");
  }

  /**
   * A benchmark outcome (no logging record).
   *
   * @param model the candidate model id
   * @param params the parameter values
   * @param score the quality in [0, 1]
   * @param costUsd the cost in USD, or NaN when unknown
   * @param inputTokens prompt tokens, or -1
   * @param outputTokens completion tokens, or -1
   * @throws IllegalArgumentException as the canonical constructor
   */
  public Outcome(String model, ParameterValues params, double score, double costUsd,
      long inputTokens, long outputTokens) {
    this(model, params, score, costUsd, inputTokens, outputTokens, Optional.empty());
  }

  /**
   * A copy with other parameter values (for canonical forms).
   *
   * @param values the values
   * @return the copy
   */
  public Outcome withParams(ParameterValues values) {
    return new Outcome(model, values, score, costUsd, inputTokens, outputTokens, logged);
  }

  /**
   * A copy with a score and a logging record (a joined feedback line).
   *
   * @param newScore the score in [0, 1]
   * @param action the logging record
   * @return the copy
   */
  public Outcome withFeedback(double newScore, LoggedAction action) {
    return new Outcome(model, params, newScore, costUsd, inputTokens, outputTokens,
        Optional.of(action));
  }

  /**
   * Whether this outcome is bandit feedback: one logged action with its propensity.
   *
   * @return {@code true} when {@link #logged()} is present
   */
  public boolean isLogged() {
    return logged.isPresent();
  }

  /**
   * An outcome with score and cost only (no token counts).
   *
   * @param model the candidate model id
   * @param params the parameter values
   * @param score the quality in [0, 1]
   * @param costUsd the cost in USD, or NaN when unknown
   * @return the outcome
   */
  public static Outcome of(String model, ParameterValues params, double score, double costUsd) {
    return new Outcome(model, params, score, costUsd, -1, -1);
  }

  /**
   * The cost, if the log records one.
   *
   * @return the cost in USD
   */
  public OptionalDouble cost() {
    return Double.isNaN(costUsd) ? OptionalDouble.empty() : OptionalDouble.of(costUsd);
  }

  /**
   * The prompt token count, if the log records one.
   *
   * @return the count
   */
  public OptionalLong inputTokenCount() {
    return inputTokens < 0 ? OptionalLong.empty() : OptionalLong.of(inputTokens);
  }

  /**
   * The completion token count, if the log records one.
   *
   * @return the count
   */
  public OptionalLong outputTokenCount() {
    return outputTokens < 0 ? OptionalLong.empty() : OptionalLong.of(outputTokens);
  }

  /**
   * Whether this outcome is the given configuration: same model and equal parameter values
   * (values compare in canonical form, so {@code 1} and {@code 1.0} differ only across kinds).
   *
   * @param model the model id
   * @param params the parameter values
   * @return {@code true} on a match
   */
  public boolean is(String model, ParameterValues params) {
    return this.model.equals(model) && this.params.equals(params);
  }
}
