package dev.haps.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A backend's answer to one {@link ChatRequest}: the text, token usage, cost and latency, and any
 * provider-specific facts (such as the finish reason) as string attributes.
 *
 * @param text the generated text
 * @param model the model that answered, as the backend names it
 * @param usage tokens consumed
 * @param costUsd the call's cost in USD, or NaN when no price is known
 * @param latency wall time of the call
 * @param attributes provider-specific facts, e.g. {@code finish_reason}; unmodifiable
 * @since 0.1.0
 */
public record Completion(
    String text,
    String model,
    TokenUsage usage,
    double costUsd,
    Duration latency,
    Map<String, String> attributes) {

  /**
   * Copies the attributes and checks for nulls.
   *
   * @param text the generated text
   * @param model the model that answered, as the backend names it
   * @param usage tokens consumed
   * @param costUsd the call's cost in USD, or NaN when no price is known
   * @param latency wall time of the call
   * @param attributes provider-specific facts, e.g. {@code finish_reason}; unmodifiable
   * @throws NullPointerException if a field is null
   */
  public Completion {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(latency, "latency");
    attributes = Map.copyOf(attributes);
  }

  /**
   * The cost, if the provider knows a price for the model.
   *
   * @return the cost in USD
   */
  public OptionalDouble cost() {
    return Double.isNaN(costUsd) ? OptionalDouble.empty() : OptionalDouble.of(costUsd);
  }
}
