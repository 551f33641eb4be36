package dev.haps.springai;

import dev.haps.api.RouteDecision;
import dev.haps.api.params.ParameterValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one request was routed and served: the call's id (for feedback), the candidate that
 * answered and the parameters it ran with, the router's whole decision (ranking, probabilities,
 * parameters of every alternative, timings), and the candidates that failed before it.
 *
 * @param callId the id to pass to {@code feedback(callId, score)}
 * @param model the bundle candidate that answered
 * @param parameters the routed parameters that candidate ran with
 * @param decision the router's decision for the request
 * @param failures the candidates tried before, in order, each with its error
 * @since 0.1.0
 */
public record RoutingInfo(String callId, String model, ParameterValues parameters,
    RouteDecision decision, List<String> failures) {

  /**
   * Checks for nulls and copies the failures.
   *
   * @param callId the id to pass to {@code feedback(callId, score)}
   * @param model the bundle candidate that answered
   * @param parameters the routed parameters that candidate ran with
   * @param decision the router's decision for the request
   * @param failures the candidates tried before, in order, each with its error
   */
  public RoutingInfo {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(decision, "decision");
    failures = List.copyOf(failures);
  }

  /**
   * The router's probability per eligible candidate, in rank order.
   *
   * @return an unmodifiable map
   */
  public Map<String, Double> probabilities() {
    return decision.probabilities();
  }

  /**
   * Whether a candidate other than the router's first choice answered.
   *
   * @return {@code true} after a fallback
   */
  public boolean fellBack() {
    return !model.equals(decision.model());
  }
}
