package dev.haps.spi;

import dev.haps.api.error.ConfigurationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * USD prices per million tokens, per backend model, read from a provider's settings:
 *
 * <pre>
 * price.gpt-4o.input  = 2.5     # USD per 1M prompt tokens
 * price.gpt-4o.output = 10      # USD per 1M completion tokens
 * </pre>
 *
 * In a JSON configuration file the same table is written as a nested object,
 * {@code "price": {"gpt-4o": {"input": 2.5, "output": 10}}}, which flattens to these names. A model
 * without a price costs {@code NaN} (unknown), never zero. Reasoning and thinking tokens are
 * output tokens (see {@link TokenUsage}) and are priced at the output price.
 *
 * <p>Every provider plugin can read the same table, so a configuration prices models the same
 * way whichever plugin serves them; {@link Completion.Builder#priceFrom} applies it to a call's
 * usage:
 *
 * <pre>{@code
 * PriceTable prices = PriceTable.from(config);            // in the factory
 * ...
 * return Completion.builder(text, model).usage(usage)
 *     .priceFrom(prices)                                   // cost, or NaN when unpriced
 *     .timedFrom(start).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class PriceTable {

  /** The setting-name prefix of price entries. */
  public static final String PREFIX = "price.";

  private static final PriceTable EMPTY = new PriceTable(Map.of());

  private final Map<String, Price> prices;

  private PriceTable(Map<String, Price> prices) {
    this.prices = Collections.unmodifiableMap(prices);
  }

  /**
   * The table with no price: every cost is unknown.
   *
   * @return the empty table
   */
  public static PriceTable empty() {
    return EMPTY;
  }

  /**
   * Reads every {@code price.<model>.input} and {@code price.<model>.output} setting.
   *
   * @param config the provider's settings
   * @return the table
   * @throws ConfigurationException if a price is not a non-negative number, a name ends in
   *     something other than {@code .input}/{@code .output}, or a model has only one of the two
   */
  public static PriceTable from(ProviderConfig config) {
    Map<String, double[]> raw = new LinkedHashMap<>();
    for (String name : config.names()) {
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String rest = name.substring(PREFIX.length());
      int dot = rest.lastIndexOf('.');
      String side = dot < 0 ? "" : rest.substring(dot + 1);
      String model = dot < 0 ? "" : rest.substring(0, dot);
      if (model.isEmpty() || !(side.equals("input") || side.equals("output"))) {
        throw new ConfigurationException("provider '" + config.id() + "' setting '" + name
            + "' is not a price entry; write price.<model>.input and price.<model>.output"
            + " (USD per million tokens)");
      }
      double v = config.getDouble(name, Double.NaN);
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new ConfigurationException("provider '" + config.id() + "' setting '" + name
            + "' = " + v + " is not a price; give USD per million tokens, 0 or more");
      }
      raw.computeIfAbsent(model, m -> new double[] {Double.NaN, Double.NaN})
          [side.equals("input") ? 0 : 1] = v;
    }
    if (raw.isEmpty()) {
      return EMPTY;
    }
    Map<String, Price> prices = new LinkedHashMap<>();
    raw.forEach((model, p) -> {
      if (Double.isNaN(p[0]) || Double.isNaN(p[1])) {
        throw new ConfigurationException("provider '" + config.id() + "' prices model '" + model
            + "' on one side only; set both " + PREFIX + model + ".input and " + PREFIX + model
            + ".output");
      }
      prices.put(model, new Price(p[0], p[1]));
    });
    return new PriceTable(prices);
  }

  /**
   * The price of a model.
   *
   * @param model the backend's model name
   * @return the price, if the table has one
   */
  public Optional<Price> price(String model) {
    return Optional.ofNullable(prices.get(model));
  }

  /**
   * The cost of a call.
   *
   * @param model the backend's model name
   * @param usage tokens consumed
   * @return USD, or NaN when the table has no price for the model
   */
  public double costUsd(String model, TokenUsage usage) {
    Price p = prices.get(model);
    return p == null ? Double.NaN : p.costUsd(usage);
  }

  /**
   * The priced models, in setting order.
   *
   * @return an unmodifiable map of model to price
   */
  public Map<String, Price> asMap() {
    return prices;
  }

  @Override
  public String toString() {
    return "PriceTable" + prices;
  }

  /**
   * One model's price.
   *
   * @param inputPerMtok USD per million input tokens
   * @param outputPerMtok USD per million output tokens
   * @since 0.1.0
   */
  public record Price(double inputPerMtok, double outputPerMtok) {

    /**
     * Checks the prices.
     *
     * @param inputPerMtok USD per million input tokens
     * @param outputPerMtok USD per million output tokens
     * @throws IllegalArgumentException if a price is negative or not finite
     */
    public Price {
      if (!(inputPerMtok >= 0 && outputPerMtok >= 0)
          || Double.isInfinite(inputPerMtok) || Double.isInfinite(outputPerMtok)) {
        throw new IllegalArgumentException("prices must be finite and not negative, got "
            + inputPerMtok + " / " + outputPerMtok);
      }
    }

    /**
     * The cost of a call with the given usage: input tokens at the input price, output tokens
     * (reasoning included) at the output price.
     *
     * @param usage tokens consumed
     * @return USD
     */
    public double costUsd(TokenUsage usage) {
      return (usage.inputTokens() * inputPerMtok + usage.outputTokens() * outputPerMtok)
          / 1_000_000.0;
    }
  }
}
