package dev.haps.spi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A backend's answer to one {@link ChatRequest}: the text, token usage, cost and latency, and any
 * provider-specific facts (such as the finish reason) as string attributes.
 *
 * <p>Providers build it with {@link #builder(String, String)}, which measures the latency from
 * the call's start and prices the usage once from a {@link PriceTable}:
 *
 * <pre>{@code
 * long start = System.nanoTime();
 * ... call the backend ...
 * return Completion.builder(text, request.model())
 *     .usage(new TokenUsage(in, out, reasoning))
 *     .priceFrom(prices)                 // cost = usage at the model's price, NaN when unpriced
 *     .timedFrom(start)                  // latency = now - start
 *     .attribute("finish_reason", "stop")
 *     .build();
 * }</pre>
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

  /**
   * A builder for a completion of the given text by the given model.
   *
   * @param text the generated text
   * @param model the model that answered, as the backend names it
   * @return a new builder
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(String text, String model) {
    return new Builder(Objects.requireNonNull(text, "text"), Objects.requireNonNull(model, "model"));
  }

  /**
   * Builds a {@link Completion}. Each of usage, cost and latency can be set once (a second call
   * fails and names the value already set); {@link #build()} needs the latency, given directly or
   * as the call's start. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String text;
    private final String model;
    private TokenUsage usage;
    private PriceTable.Price price;
    private PriceTable prices;
    private Double costUsd;
    private Duration latency;
    private long startNanos;
    private boolean timed;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private Builder(String text, String model) {
      this.text = text;
      this.model = model;
    }

    /**
     * The tokens the backend reported. Without usage the cost is unknown (NaN) unless set with
     * {@link #costUsd(double)}.
     *
     * @param usage the usage
     * @return this builder
     * @throws IllegalStateException if the usage was already set
     */
    public Builder usage(TokenUsage usage) {
      Objects.requireNonNull(usage, "usage");
      if (this.usage != null) {
        throw new IllegalStateException("usage was already set to " + this.usage);
      }
      this.usage = usage;
      return this;
    }

    /**
     * Prices the usage at one model's price: cost = input × input price + output (reasoning
     * included) × output price, per million tokens.
     *
     * @param price the price
     * @return this builder
     * @throws IllegalStateException if a price or a cost was already set
     */
    public Builder price(PriceTable.Price price) {
      Objects.requireNonNull(price, "price");
      checkCostUnset();
      this.price = price;
      return this;
    }

    /**
     * Prices the usage at the table's price for this completion's model; the cost is NaN when
     * the table has no price for it.
     *
     * @param prices the price table
     * @return this builder
     * @throws IllegalStateException if a price or a cost was already set
     */
    public Builder priceFrom(PriceTable prices) {
      Objects.requireNonNull(prices, "prices");
      checkCostUnset();
      this.prices = prices;
      return this;
    }

    /**
     * Sets the cost directly, for backends that report it themselves.
     *
     * @param costUsd USD, at least 0, or NaN when unknown
     * @return this builder
     * @throws IllegalArgumentException if the cost is negative or infinite
     * @throws IllegalStateException if a price or a cost was already set
     */
    public Builder costUsd(double costUsd) {
      if (costUsd < 0 || Double.isInfinite(costUsd)) {
        throw new IllegalArgumentException(
            "cost must be finite and at least 0 (NaN when unknown), got " + costUsd);
      }
      checkCostUnset();
      this.costUsd = costUsd;
      return this;
    }

    /**
     * The call's wall time.
     *
     * @param latency the latency, not negative
     * @return this builder
     * @throws IllegalArgumentException if the latency is negative
     * @throws IllegalStateException if the latency was already set
     */
    public Builder latency(Duration latency) {
      Objects.requireNonNull(latency, "latency");
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative, got " + latency);
      }
      checkLatencyUnset();
      this.latency = latency;
      return this;
    }

    /**
     * Measures the latency at {@link #build()} from the call's start.
     *
     * @param startNanos {@link System#nanoTime()} when the call began
     * @return this builder
     * @throws IllegalStateException if the latency was already set
     */
    public Builder timedFrom(long startNanos) {
      checkLatencyUnset();
      this.startNanos = startNanos;
      this.timed = true;
      return this;
    }

    /**
     * Adds a provider-specific fact, such as {@code finish_reason}; a later value for the same
     * key replaces an earlier one.
     *
     * @param key the attribute name
     * @param value the value
     * @return this builder
     */
    public Builder attribute(String key, String value) {
      attributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    /**
     * Adds provider-specific facts.
     *
     * @param attributes attribute names to values
     * @return this builder
     */
    public Builder attributes(Map<String, String> attributes) {
      attributes.forEach(this::attribute);
      return this;
    }

    /**
     * Builds the completion.
     *
     * @return the completion
     * @throws IllegalStateException if neither {@link #latency} nor {@link #timedFrom} was called
     */
    public Completion build() {
      Duration l = latency;
      if (l == null) {
        if (!timed) {
          throw new IllegalStateException("the completion of model '" + model + "' has no"
              + " latency; call timedFrom(start) with System.nanoTime() taken when the call began,"
              + " or latency(duration)");
        }
        l = Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos));
      }
      TokenUsage u = usage == null ? TokenUsage.NONE : usage;
      double cost = Double.NaN;
      if (costUsd != null) {
        cost = costUsd;
      } else if (usage != null && price != null) {
        cost = price.costUsd(usage);
      } else if (usage != null && prices != null) {
        cost = prices.costUsd(model, usage);
      }
      return new Completion(text, model, u, cost, l, attributes);
    }

    private void checkCostUnset() {
      if (price != null || prices != null || costUsd != null) {
        throw new IllegalStateException("the cost of the completion is already set ("
            + (costUsd != null ? "costUsd " + costUsd : price != null ? "price " + price
                : "price table " + prices) + "); set it once");
      }
    }

    private void checkLatencyUnset() {
      if (latency != null || timed) {
        throw new IllegalStateException("the latency of the completion is already set ("
            + (latency != null ? latency.toString() : "timed from its start") + "); set it once");
      }
    }
  }
}
