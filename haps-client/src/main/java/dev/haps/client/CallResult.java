package dev.haps.client;

import dev.haps.api.RouteDecision;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.Completion;
import dev.haps.spi.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The answer to one routed call and how it came about: which candidate answered, on which
 * provider instance and backend model, with which parameters, the tokens, cost and latency, and
 * every attempt made on the way (retries, fallbacks, skipped circuits) with its reason.
 *
 * @param callId the id to pass to {@link RoutingClient#feedback(String, double)}
 * @param text the generated text
 * @param candidate the bundle candidate's model id that answered
 * @param provider the provider instance id that answered
 * @param backendModel the model name the backend was called with
 * @param parameters the routed parameters of the answering candidate (those applied by a
 *     transformer included)
 * @param usage tokens consumed by the successful attempt
 * @param costUsd the successful attempt's cost in USD, or NaN when the provider knows no price
 * @param latency the call's wall time, routing and every attempt included
 * @param attempts every attempt in order; the last one succeeded
 * @param decision the router's decision
 * @param completion the provider's completion, with its attributes
 * @since 0.1.0
 */
public record CallResult(
    String callId,
    String text,
    String candidate,
    String provider,
    String backendModel,
    ParameterValues parameters,
    TokenUsage usage,
    double costUsd,
    Duration latency,
    List<Attempt> attempts,
    RouteDecision decision,
    Completion completion) {

  /**
   * Copies the attempts and checks for nulls.
   *
   * @throws NullPointerException if a field is null
   */
  public CallResult {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(backendModel, "backendModel");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(latency, "latency");
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(completion, "completion");
  }

  /**
   * The cost, if the provider knows a price.
   *
   * @return the cost in USD
   */
  public OptionalDouble cost() {
    return Double.isNaN(costUsd) ? OptionalDouble.empty() : OptionalDouble.of(costUsd);
  }

  /**
   * Whether the answering candidate is not the router's first choice.
   *
   * @return {@code true} after a fallback
   */
  public boolean fellBack() {
    return !candidate.equals(decision.model());
  }

  /**
   * One line for logs and consoles: model, parameters, tokens, cost, latency and attempts.
   *
   * @return the summary
   */
  public String summary() {
    return String.format(Locale.ROOT, "%s via %s/%s %s | tokens %d in + %d out | cost %s |"
            + " %d ms | %d attempt%s%s",
        candidate, provider, backendModel, parameters, usage.inputTokens(), usage.outputTokens(),
        Double.isNaN(costUsd) ? "n/a" : String.format(Locale.ROOT, "$%.6f", costUsd),
        latency.toMillis(), attempts.size(), attempts.size() == 1 ? "" : "s",
        fellBack() ? " (fell back from " + decision.model() + ")" : "");
  }

  @Override
  public String toString() {
    return "CallResult{" + callId + ": " + summary() + "}";
  }
}
